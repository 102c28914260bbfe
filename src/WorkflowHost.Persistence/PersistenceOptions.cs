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
    /// On SQLite, steps that queue while another commits share its successor's commit (decision 158). Off, each step
    /// commits alone, as before; PostgreSQL ignores it.
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>
    /// PostgreSQL: a step whose writes are one command (a vote that does not close its ballot) sends it outside a
    /// transaction, where it commits itself with guards that abort all of it on a lost race (decision 168): no BEGIN,
    /// no COMMIT round trip. Off, every step runs in a transaction of its own. SQLite ignores it.
    /// </summary>
    public bool SelfCommittingVotes { get; set; } = true;

    /// <summary>
    /// On SQLite, how many connections stay open for the session check every request makes, with its statement kept
    /// prepared (decision 162). Unset: one per processor, at most four. 0 turns them off; PostgreSQL ignores it.
    /// </summary>
    public int? KeptReaders { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}
