namespace WorkflowHost.Persistence;

/// <summary>Where the data lives. Bound from the <c>Persistence</c> section of <c>appsettings.json</c>.</summary>
public sealed class PersistenceOptions
{
    public const string Section = "Persistence";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder for the SQLite file (relative paths are taken from the content root).</summary>
    public string DataFolder { get; set; } = "data";

    public string SqliteFileName { get; set; } = "workflowhost.db";

    /// <summary>Npgsql connection string; required when <see cref="Provider"/> is PostgreSql.</summary>
    public string? PostgreSqlConnectionString { get; set; }

    /// <summary>How often a stimulus that lost an optimistic-concurrency race is re-run before giving up.</summary>
    public int MaxConcurrencyRetries { get; set; } = 20;

    /// <summary>
    /// How much of the SQLite file each connection reads through a memory map instead of its own page cache (SQLite's
    /// <c>mmap_size</c>); 0 turns it off. In WAL mode a connection's cache is dropped whenever another connection
    /// commits, so pooled connections re-read pages with a system call each; mapped pages are shared by all of them.
    /// </summary>
    public long SqliteMemoryMapBytes { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}
