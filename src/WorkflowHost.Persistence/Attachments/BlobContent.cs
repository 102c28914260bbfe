using Microsoft.EntityFrameworkCore;

namespace WorkflowHost.Persistence.Attachments;

/// <summary>
/// Where a file's bytes are: in the database, as chunks of <see cref="ChunkSize"/> bytes (the default, so every host on
/// one database reads them), or in the configured folder as a file named by its SHA-256. Either way at most one chunk
/// is in memory at a time.
/// </summary>
public sealed class BlobContent(AttachmentOptions options, string contentRoot)
{
    public const int ChunkSize = 256 * 1024;

    private string? Folder => string.IsNullOrWhiteSpace(options.Folder) ? null : Path.GetFullPath(options.Folder, contentRoot);

    /// <summary>Writes the content and its blob row in the caller's transaction (the folder's file before the row).</summary>
    public async Task WriteAsync(WorkflowDbContext db, string sha256, long size, Stream source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Folder is { } folder)
        {
            await WriteFileAsync(PathOf(folder, sha256), source, cancellationToken);
            db.AttachmentBlobs.Add(new AttachmentBlob { Sha256 = sha256, Size = size, Location = BlobLocations.Folder, StoredAt = now });
            return;
        }

        db.AttachmentBlobs.Add(new AttachmentBlob { Sha256 = sha256, Size = size, Location = BlobLocations.Database, StoredAt = now });
        await db.SaveChangesAsync(cancellationToken);
        var buffer = new byte[ChunkSize];
        for (var index = 0; ; index++)
        {
            var read = await source.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
            {
                break;
            }

            var chunk = new AttachmentChunk { Sha256 = sha256, Index = index, Data = buffer.AsSpan(0, read).ToArray() };
            db.AttachmentChunks.Add(chunk);
            await db.SaveChangesAsync(cancellationToken);

            // Saved: let go of it, so a large file does not pile up in the change tracker.
            db.Entry(chunk).State = EntityState.Detached;
        }
    }

    public async Task CopyToAsync(WorkflowDbContext db, string sha256, Stream destination, CancellationToken cancellationToken)
    {
        var blob = await db.AttachmentBlobs.AsNoTracking().FirstAsync(b => b.Sha256 == sha256, cancellationToken);
        if (blob.Location == BlobLocations.Folder)
        {
            var folder = Folder ?? throw new InvalidOperationException($"File {sha256} is in a folder, but no attachment folder is configured.");
            await using var file = new FileStream(PathOf(folder, sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
            await file.CopyToAsync(destination, cancellationToken);
            return;
        }

        await foreach (var data in db.AttachmentChunks.AsNoTracking().Where(c => c.Sha256 == sha256).OrderBy(c => c.Index)
            .Select(c => c.Data).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await destination.WriteAsync(data, cancellationToken);
        }
    }

    /// <summary>Removes a deleted blob's file (database chunks go with the row, by cascade).</summary>
    public void DeleteFile(string sha256)
    {
        if (Folder is { } folder)
        {
            File.Delete(PathOf(folder, sha256));
        }
    }

    private static string PathOf(string folder, string sha256) => Path.Combine(folder, sha256[..2], sha256);

    /// <summary>Written under a temporary name, flushed to disk, then renamed: a crash never leaves half a file under the hash.</summary>
    private static async Task WriteFileAsync(string path, Stream source, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
        await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
        {
            await source.CopyToAsync(file, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(partial, path, overwrite: true);
    }
}
