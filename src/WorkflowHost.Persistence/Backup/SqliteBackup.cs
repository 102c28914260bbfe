using Microsoft.Data.Sqlite;

namespace WorkflowHost.Persistence.Backup;

/// <summary>
/// Copies a SQLite database while the host keeps using it, with SQLite's online backup API: the copy is one consistent
/// snapshot (every committed step in it, none half), taken under a read lock that in WAL mode never blocks the writer.
/// The copy is a single self-contained file (rollback journal, no -wal beside it), checked with <c>integrity_check</c>.
/// </summary>
public static class SqliteBackup
{
    public static async Task CopyAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(sourcePath))
        {
            throw new FileNotFoundException($"There is no SQLite database at {sourcePath}.", sourcePath);
        }

        if (File.Exists(targetPath))
        {
            throw new IOException($"{targetPath} already exists; a backup never overwrites a file.");
        }

        // Not pooled: both files must be closed when this returns, so the copy can be moved and the source is not held open.
        await using (var source = new SqliteConnection(ConnectionString(sourcePath, SqliteOpenMode.ReadWrite)))
        await using (var target = new SqliteConnection(ConnectionString(targetPath, SqliteOpenMode.ReadWriteCreate)))
        {
            await source.OpenAsync(cancellationToken);
            await target.OpenAsync(cancellationToken);
            await ExecuteAsync(source, "PRAGMA busy_timeout=30000;", cancellationToken);
            source.BackupDatabase(target);
            await ExecuteAsync(target, "PRAGMA journal_mode=DELETE;", cancellationToken);
            var check = await ScalarAsync(target, "PRAGMA integrity_check;", cancellationToken);
            if (check != "ok")
            {
                throw new InvalidDataException($"The copy {targetPath} fails SQLite's integrity check: {check}");
            }
        }
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 }.ToString();

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync(cancellationToken))?.ToString();
    }
}
