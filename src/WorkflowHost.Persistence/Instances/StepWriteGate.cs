namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// SQLite lets one connection write at a time. A step that begins its (IMMEDIATE) transaction while another holds the
/// lock waits in SQLite's busy handler, which sleeps on a blocked thread and polls at growing intervals (1, 2, 5 … 100
/// ms): under concurrent votes that parks thread-pool threads, starves the step that holds the lock of a thread to
/// finish on, and leaves the lock idle between polls. The load benchmark measured a quarter of all request thread time
/// spent there (docs/benchmarks.md, section 3). So this process's steps queue here instead, asynchronously, before
/// they begin their transaction. Nothing about the transaction changes: it is still one IMMEDIATE transaction per
/// step, and the busy timeout still covers writers in other processes. On PostgreSQL, which locks rows, steps run
/// side by side and the gate lets everyone through.
/// </summary>
public sealed class StepWriteGate
{
    /// <summary>As long as SQLite's own busy timeout (SqlitePragmas): a step waits here no longer than it would there.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim? _writer;

    public StepWriteGate(PersistenceOptions options) =>
        _writer = options.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    /// <summary>Whether steps are queued one at a time (SQLite) or let through (PostgreSQL).</summary>
    public bool Serializes => _writer is not null;

    /// <summary>Waits for this process's turn to write; dispose the result once the transaction is committed or rolled back.</summary>
    public async ValueTask<Turn> EnterAsync(CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            return default;
        }

        if (!await _writer.WaitAsync(MaxWait, cancellationToken))
        {
            throw new TimeoutException($"No turn to write within {MaxWait.TotalSeconds:F0} s: another step of this process holds the database.");
        }

        return new Turn(_writer);
    }

    /// <summary>A turn to write; disposing it lets the next step in.</summary>
    public readonly struct Turn(SemaphoreSlim? writer) : IDisposable
    {
        public void Dispose() => writer?.Release();
    }
}
