using System.Security.Cryptography;

namespace WorkflowHost.Persistence.Backup;

/// <summary>
/// Files kept in a folder (<c>Attachments:Folder</c>) are not in the database, so a backup copies them beside it, into
/// <c>attachments/</c>, after the database: every blob row in the copied database had its file written before the row
/// committed, so it is there to copy. Each copy is checked against the SHA-256 it is named by. Files kept in the database
/// (the default) travel with the database and need nothing here. Restoring is copying the folder back (docs/operations.md).
/// </summary>
public static class AttachmentFolderBackup
{
    public const string FolderName = "attachments";

    /// <returns>The number of files copied.</returns>
    public static async Task<int> CopyAsync(string sourceFolder, string backupFolder, CancellationToken cancellationToken)
    {
        var target = Path.Combine(backupFolder, FolderName);
        var copied = 0;
        if (!Directory.Exists(sourceFolder))
        {
            return 0;
        }

        foreach (var file in Directory.EnumerateFiles(sourceFolder, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.Length != 64 || !name.All(Uri.IsHexDigit))
            {
                continue; // a .partial left by a crash mid-write: never acknowledged, not part of any upload
            }

            var destination = Path.Combine(target, name[..2], name);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            await using (var source = File.OpenRead(file))
            await using (var copy = new FileStream(destination, FileMode.CreateNew, FileAccess.Write))
            {
                await source.CopyToAsync(copy, cancellationToken);
            }

            await using (var check = File.OpenRead(destination))
            {
                var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(check, cancellationToken));
                if (hash != name)
                {
                    throw new InvalidDataException($"The attachment file {file} does not match its SHA-256 name (it hashes to {hash}).");
                }
            }

            copied++;
        }

        return copied;
    }
}
