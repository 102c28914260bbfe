using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Attachments;

/// <summary>
/// Deletes uploads that no case refers to once they are older than <see cref="AttachmentOptions.OrphanAfter"/>, then the
/// content nobody names any more. Safe beside steps and uploads: a row is deleted only while it is still on no case (a
/// step that put it on one in the meantime wins, see <see cref="StepAttachments"/>), and a blob only if no upload names it,
/// which the foreign key enforces even against an upload of the same bytes committing at that moment.
/// </summary>
public sealed class OrphanAttachments(
    IDbContextFactory<WorkflowDbContext> contextFactory, AttachmentOptions options, BlobContent content, TimeProvider time, StepWriteGate writeGate,
    ILogger<OrphanAttachments> logger)
{
    /// <returns>How many uploads and how many blobs were deleted.</returns>
    public async Task<(int Uploads, int Blobs)> CleanAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.OrphanAfter;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        int uploads;
        using (await writeGate.EnterAsync(cancellationToken))
        {
            uploads = await db.Attachments.Where(a => a.InstanceId == null && a.UploadedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        }

        var unnamed = await db.AttachmentBlobs.AsNoTracking()
            .Where(b => !db.Attachments.Any(a => a.Sha256 == b.Sha256))
            .Select(b => b.Sha256)
            .ToListAsync(cancellationToken);
        var blobs = 0;
        foreach (var sha256 in unnamed)
        {
            try
            {
                using (await writeGate.EnterAsync(cancellationToken))
                {
                    // Chunks go by cascade. A fresh upload of the same bytes makes the delete fail on the foreign key: kept.
                    blobs += await db.AttachmentBlobs.Where(b => b.Sha256 == sha256 && !db.Attachments.Any(a => a.Sha256 == b.Sha256))
                        .ExecuteDeleteAsync(cancellationToken);
                }

                content.DeleteFile(sha256);
            }
            catch (DbUpdateException e)
            {
                logger.LogInformation(e, "Blob {Sha256} was named by a new upload while being cleaned; kept.", sha256);
            }
        }

        DeleteStaleTemporaryFiles(cutoff);
        return (uploads, blobs);
    }

    /// <summary>
    /// An upload streams to a temporary file that the host deletes when it is done; a host killed mid-upload never does.
    /// Such a file is never written to again, so one untouched for the grace period is a leftover (a live upload writes
    /// to its file with every buffer it reads).
    /// </summary>
    private void DeleteStaleTemporaryFiles(DateTimeOffset cutoff)
    {
        var folder = string.IsNullOrEmpty(options.TempFolder) ? Path.GetTempPath() : options.TempFolder;
        foreach (var file in Directory.EnumerateFiles(folder, AttachmentStore.TemporaryPrefix + "*"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) < cutoff.UtcDateTime)
                {
                    File.Delete(file);
                }
            }
            catch (IOException e)
            {
                logger.LogInformation(e, "Temporary upload file {File} could not be removed; tried again next time.", file);
            }
        }
    }
}
