using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Attachments;

/// <summary>
/// Takes uploads in and gives them back. An upload streams to a temporary file while its SHA-256 and length are counted
/// (refused at the first byte past the limit), is recognised by its content, and only then is stored: the content once
/// per hash (in the database as chunks, or in the folder), the upload as a row. The answer is sent after the commit, so
/// an acknowledged upload is in the database.
/// </summary>
public sealed class AttachmentStore(
    IDbContextFactory<WorkflowDbContext> contextFactory, AttachmentOptions options, BlobContent content, TimeProvider time, StepWriteGate writeGate)
{
    /// <summary>The start of an upload's temporary file's name; the cleaner removes those a killed host left behind.</summary>
    public const string TemporaryPrefix = "workflowhost-upload-";

    public async Task<UploadOutcome> UploadAsync(string communityId, string personId, string fileName, Stream body, CancellationToken cancellationToken)
    {
        var tempFolder = string.IsNullOrEmpty(options.TempFolder) ? Path.GetTempPath() : options.TempFolder;
        var tempPath = Path.Combine(tempFolder, TemporaryPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using var temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long size = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > options.MaxUploadBytes)
                {
                    return new UploadOutcome.TooLarge(options.MaxUploadBytes);
                }

                hash.AppendData(buffer, 0, read);
                await temp.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            if (size == 0)
            {
                return new UploadOutcome.Empty();
            }

            temp.Position = 0;
            var kind = FileSniffer.Detect(temp);
            if (kind is null)
            {
                return new UploadOutcome.Unsupported("The file is not a PDF, JPEG, PNG, DOCX, XLSX or OFD document (judged by its content, not its name).");
            }

            if (FileSniffer.ClaimedBy(fileName) is { } claimed && claimed != kind)
            {
                return new UploadOutcome.Unsupported(
                    $"The file's name says {claimed.ToString().ToUpperInvariant()} but its content is {kind.Value.ToString().ToUpperInvariant()}.");
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            var attachment = new Attachment
            {
                Id = Guid.CreateVersion7(time.GetUtcNow()), CommunityId = communityId, UploadedBy = personId, FileName = fileName,
                Kind = FileSniffer.Name(kind.Value), Size = size, Sha256 = sha256, UploadedAt = time.GetUtcNow(),
            };
            await SaveAsync(attachment, temp, cancellationToken);
            return new UploadOutcome.Stored(new AttachmentReference(attachment.Id, sha256, fileName, size, kind.Value));
        }
        finally
        {
            File.Delete(tempPath);
        }
    }

    /// <summary>
    /// Stores the content unless a blob with its hash is there already, and the upload's row, in one transaction. Two
    /// uploads of the same bytes racing, or the cleaner deleting the blob just found, fail on a key and are tried again.
    /// </summary>
    private async Task SaveAsync(Attachment attachment, FileStream temp, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            using (await writeGate.EnterAsync(cancellationToken))
            {
                try
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    if (!await db.AttachmentBlobs.AnyAsync(b => b.Sha256 == attachment.Sha256, cancellationToken))
                    {
                        temp.Position = 0;
                        await content.WriteAsync(db, attachment.Sha256, attachment.Size, temp, attachment.UploadedAt, cancellationToken);
                    }

                    db.Attachments.Add(attachment);
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    // Lost a race on the blob's key (or its foreign key): the next attempt sees the winner's state.
                }
            }
        }
    }

    /// <summary>The upload's row, if it belongs to the community; the caller decides who may see it.</summary>
    public async Task<Attachment?> FindAsync(Guid id, string communityId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.CommunityId == communityId, cancellationToken);
    }

    /// <summary>Copies the content of <paramref name="sha256"/> to <paramref name="destination"/>, chunk by chunk.</summary>
    public async Task CopyToAsync(string sha256, Stream destination, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await content.CopyToAsync(db, sha256, destination, cancellationToken);
    }
}
