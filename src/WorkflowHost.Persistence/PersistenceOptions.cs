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
    /// PostgreSQL: a step that needs its transaction (a vote that decides its ballot and takes the reply's number) sends
    /// its COMMIT at the end of its last write command, when nothing is left to save after it (decision 180): the number
    /// series' row lock is held for one round trip less. Off, the COMMIT is a round trip of its own, as before. SQLite
    /// ignores it.
    /// </summary>
    public bool CommitWithStepWrite { get; set; } = true;

    /// <summary>
    /// On SQLite, how many connections stay open for the session check every request makes, with its statement kept
    /// prepared (decision 162). Unset: one per processor, at most four. 0 turns them off; PostgreSQL ignores it.
    /// </summary>
    public int? KeptReaders { get; set; }

    /// <summary>
    /// On SQLite with group commit, the write-ahead log's length in pages at which a background checkpoint runs, so that
    /// no commit copies the log inline (decision 167). Unset: 1,000 (SQLite's own threshold). 0 turns the background
    /// checkpointer off: the group writer's commits checkpoint inline, as SQLite does by default. PostgreSQL ignores it.
    /// </summary>
    public int? WalCheckpointPages { get; set; }

    /// <summary>
    /// The write-ahead log's bound in pages (decision 167): at half of it the background checkpointer truncates the log,
    /// waiting for readers; at it the group writer checkpoints inline. Unset: 16,000 (64 MB of 4 KB pages), or four
    /// times <see cref="WalCheckpointPages"/> if that is more.
    /// </summary>
    public int? WalHardLimitPages { get; set; }

    /// <summary>
    /// How many instances' states this host keeps after writing them, so that the next step on the same instance skips
    /// parsing its state when the row still holds exactly those bytes (decision 170). Unset: 1,024. 0 turns it off.
    /// </summary>
    public int? KeptInstanceStates { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}
