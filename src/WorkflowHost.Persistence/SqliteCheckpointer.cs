using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace WorkflowHost.Persistence;

/// <summary>
/// SQLite's write-ahead log, copied back into the database off the commit path (decision 167). SQLite's own automatic
/// checkpoint runs inside the commit that takes the log past 1,000 pages: that commit copies the log into the database
/// and syncs it before it returns, and every step queued behind the group writer waits for it (docs/benchmarks.md 17a).
/// The group writer's connection does not checkpoint (<see cref="Attach"/> replaces SQLite's hook with one that only
/// reports the log's length); this checkpointer, woken by a commit that leaves the log at or past
/// <see cref="PersistenceOptions.WalCheckpointPages"/>, runs a PASSIVE checkpoint on a connection of its own, which
/// neither waits for nor blocks readers and the writer.
/// </summary>
/// <remarks>
/// The log is bounded. A PASSIVE checkpoint cannot reset a log that readers still read, nor one the writer keeps adding to;
/// when one leaves the log at half of <see cref="PersistenceOptions.WalHardLimitPages"/> or more, the checkpointer runs a
/// TRUNCATE checkpoint, which waits (SQLite's busy timeout) for the readers and holds the writer off until the log is
/// empty. Should the log reach the hard limit all the same (this checkpointer stopped, failing or never started), the group
/// writer checkpoints inline after the commit that reached it (<see cref="OverHardLimit"/>), as SQLite would have.
/// Durability is unchanged: a checkpoint only copies committed pages; <c>synchronous=FULL</c> still syncs the log on commit.
/// </remarks>
public sealed partial class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>Unset <see cref="PersistenceOptions.WalCheckpointPages"/>: SQLite's own default threshold.</summary>
    public const int DefaultCheckpointPages = 1000;

    /// <summary>Unset <see cref="PersistenceOptions.WalHardLimitPages"/>: 64 MB of 4 KB pages.</summary>
    public const int DefaultHardLimitPages = 16_000;

    private static readonly ConcurrentDictionary<nint, SqliteCheckpointer> Attached = new();
    private static long _lastId;

    private readonly IDbContextFactory<WorkflowDbContext> _contexts;
    private readonly ILogger<SqliteCheckpointer> _logger;
    private readonly nint _id;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Counter<long> _checkpoints;
    private readonly Histogram<double> _durations;
    private readonly object _connectionLock = new();
    private SqliteConnection? _connection;
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private Task? _stopping;
    private int _wakePending;
    private int _running;
    private int _walFrames;
    private long _passive;
    private long _truncated;
    private long _inline;
    private int _disposed;

    public SqliteCheckpointer(IDbContextFactory<WorkflowDbContext> contexts, PersistenceOptions options, ILogger<SqliteCheckpointer> logger, IMeterFactory meters)
    {
        _contexts = contexts;
        _logger = logger;
        CheckpointPages = PagesFor(options);
        HardLimitPages = options.WalHardLimitPages ?? Math.Max(DefaultHardLimitPages, 4 * CheckpointPages);
        _id = (nint)Interlocked.Increment(ref _lastId);
        Attached[_id] = this;
        var meter = meters.Create(Instances.GroupCommit.MeterName);
        _checkpoints = meter.CreateCounter<long>(
            "workflowhost.sqlite.checkpoints", unit: "{checkpoint}", description: "Checkpoints of SQLite's write-ahead log, by mode: passive, truncate (the log stayed long), inline (the group writer's, at the hard limit), final.");
        _durations = meter.CreateHistogram<double>(
            "workflowhost.sqlite.checkpoint.duration", unit: "ms", description: "How long each checkpoint of SQLite's write-ahead log took.");
        meter.CreateObservableGauge("workflowhost.sqlite.wal.pages", () => Volatile.Read(ref _walFrames), unit: "{page}",
            description: "Pages in SQLite's write-ahead log after the group writer's last commit.");
    }

    /// <summary>The checkpoint threshold this host uses: <c>Persistence:WalCheckpointPages</c>, 0 when turned off.</summary>
    public static int PagesFor(PersistenceOptions options) => options.WalCheckpointPages ?? DefaultCheckpointPages;

    public int CheckpointPages { get; }

    public int HardLimitPages { get; }

    /// <summary>Pages in the log after the group writer's last commit, as SQLite reported them.</summary>
    public int WalPages => Volatile.Read(ref _walFrames);

    /// <summary>PASSIVE checkpoints run by this checkpointer.</summary>
    public long PassiveCheckpoints => Interlocked.Read(ref _passive);

    /// <summary>TRUNCATE checkpoints run by this checkpointer because the log stayed long.</summary>
    public long TruncateCheckpoints => Interlocked.Read(ref _truncated);

    /// <summary>Checkpoints the group writer ran inline because the log reached the hard limit.</summary>
    public long InlineCheckpoints => Interlocked.Read(ref _inline);

    /// <summary>
    /// No checkpoint running and none asked for: every commit's wake-up before this read has been served by a checkpoint
    /// that started after it.
    /// </summary>
    internal bool Idle => Volatile.Read(ref _wakePending) == 0 && Volatile.Read(ref _running) == 0;

    /// <summary>True once the log has reached the hard limit: the group writer then checkpoints itself.</summary>
    internal bool OverHardLimit => Volatile.Read(ref _walFrames) >= HardLimitPages;

    /// <summary>Starts checkpointing (the host's start). Commits before it only report the log's length.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_connectionLock)
        {
            if (_loop is not null || _stopping is not null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }

        // A log left long before the start (or by another process) is taken at once, not at the next commit.
        Wake();
    }

    /// <summary>
    /// Stops checkpointing; the final checkpoint is run when disposed, after the group writer has drained. The host and
    /// the disposal may both ask: every caller gets the same stop.
    /// </summary>
    public Task StopAsync()
    {
        lock (_connectionLock)
        {
            return _stopping ??= StopLoopAsync();
        }
    }

    private async Task StopLoopAsync()
    {
        if (_loop is not { } loop || _stop is not { } stop)
        {
            return;
        }

        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    /// <summary>
    /// Takes over the checkpoints of <paramref name="connection"/> (the group writer's): its commits no longer checkpoint,
    /// they report the log's length here. <see cref="Detach"/> gives SQLite's own checkpoint back.
    /// </summary>
    internal void Attach(SqliteConnection connection)
    {
        var result = WalHook.Set(connection.Handle!.DangerousGetHandle(), _id);
        if (result != 0)
        {
            throw new InvalidOperationException($"SQLite refused the write-ahead log hook ({result}).");
        }
    }

    /// <summary>SQLite's automatic checkpoint back on a connection that goes back to the pool.</summary>
    internal static void Detach(SqliteConnection connection)
    {
        if (connection.Handle is { IsInvalid: false } handle)
        {
            SQLitePCL.raw.sqlite3_wal_autocheckpoint(handle, DefaultCheckpointPages);
        }
    }

    /// <summary>The group writer's checkpoint at the hard limit, on its own connection, after its answers went out.</summary>
    internal void CheckpointInline(SqliteConnection writer)
    {
        var started = Stopwatch.GetTimestamp();
        var (busy, log, done) = Checkpoint(writer, "TRUNCATE");
        Interlocked.Increment(ref _inline);
        Record("inline", started);
        if (busy == 0)
        {
            Volatile.Write(ref _walFrames, 0);
        }

        LogInline(_logger, log, done, busy != 0);
    }

    private void Committed(int frames)
    {
        Volatile.Write(ref _walFrames, frames);
        if (frames >= CheckpointPages)
        {
            Wake();
        }
    }

    private void Wake()
    {
        if (Interlocked.CompareExchange(ref _wakePending, 1, 0) == 0)
        {
            _wake.Release();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Marked running before the wake-up is cleared, so Idle is never true in between; cleared before the
            // checkpoint, so a commit made while it runs wakes it again.
            Volatile.Write(ref _running, 1);
            Volatile.Write(ref _wakePending, 0);
            try
            {
                CheckpointOnce();
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException or IOException)
            {
                // The group writer's hard limit still bounds the log; the next commit past the threshold tries again.
                LogFailed(_logger, e);
                DropConnection();
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
        }
    }

    /// <summary>One PASSIVE checkpoint; a TRUNCATE one after it when it left the log long.</summary>
    internal void CheckpointOnce()
    {
        lock (_connectionLock)
        {
            var connection = Connection();
            var started = Stopwatch.GetTimestamp();
            var (_, log, _) = Checkpoint(connection, "PASSIVE");
            Interlocked.Increment(ref _passive);
            Record("passive", started);
            if (log >= HardLimitPages / 2)
            {
                started = Stopwatch.GetTimestamp();
                var (busy, truncatedLog, done) = Checkpoint(connection, "TRUNCATE");
                Interlocked.Increment(ref _truncated);
                Record("truncate", started);
                LogTruncated(_logger, log, truncatedLog, done, busy != 0);
            }
        }
    }

    private static (int Busy, int Log, int Checkpointed) Checkpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    private void Record(string mode, long started)
    {
        var tag = new KeyValuePair<string, object?>("mode", mode);
        _checkpoints.Add(1, tag);
        _durations.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
    }

    private SqliteConnection Connection()
    {
        if (_connection is { } open)
        {
            return open;
        }

        string connectionString;
        using (var db = _contexts.CreateDbContext())
        {
            connectionString = db.Database.GetConnectionString()
                ?? throw new InvalidOperationException("The SQLite context has no connection string.");
        }

        // A native connection of its own, not one from Microsoft.Data.Sqlite's pool: one from the pool would run with
        // whatever settings its last user left on it, and this one's wal_autocheckpoint=0 would go back to the pool after it.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // synchronous is the connection's, not the file's, and a checkpoint syncs by the setting of the connection
            // that runs it: at OFF it would copy the log into the database and TRUNCATE would empty the log with nothing
            // synced, so a power cut could lose committed steps. FULL, as SqlitePragmas gives the host's connections,
            // set here rather than taken from SQLite's compiled-in default. Its own commits (none expected) would not
            // checkpoint inline either; it waits for the write lock as the others do.
            command.CommandText = $"PRAGMA synchronous={SqlitePragmas.Synchronous}; PRAGMA busy_timeout={SqlitePragmas.BusyTimeout}; PRAGMA wal_autocheckpoint=0;";
            command.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }

    /// <summary>The settings this checkpointer's own connection runs with, read through it (opened if it is not yet).</summary>
    internal (long Synchronous, long BusyTimeout, long AutoCheckpoint) ConnectionSettings()
    {
        lock (_connectionLock)
        {
            using var command = Connection().CreateCommand();
            command.CommandText = "PRAGMA synchronous; PRAGMA busy_timeout; PRAGMA wal_autocheckpoint;";
            using var reader = command.ExecuteReader();
            var values = new long[3];
            for (var i = 0; i < values.Length; i++, reader.NextResult())
            {
                reader.Read();
                values[i] = reader.GetInt64(0);
            }

            return (values[0], values[1], values[2]);
        }
    }

    private void DropConnection()
    {
        lock (_connectionLock)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    /// <summary>Stops, then empties the log with a last TRUNCATE checkpoint (best effort) and closes its connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync();
        try
        {
            lock (_connectionLock)
            {
                var started = Stopwatch.GetTimestamp();
                var (busy, log, done) = Checkpoint(Connection(), "TRUNCATE");
                Record("final", started);
                LogFinal(_logger, log, done, busy != 0);
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or IOException)
        {
            LogFailed(_logger, e);
        }
        finally
        {
            DropConnection();
            Attached.TryRemove(_id, out _);
            _wake.Dispose();
        }
    }

    [LoggerMessage(LogLevel.Warning, "A checkpoint of SQLite's write-ahead log failed; the next commit past the threshold tries again.")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "SQLite's write-ahead log stayed at {Log} pages after a passive checkpoint: truncated ({Remaining} pages, {Checkpointed} copied, busy: {Busy}).")]
    private static partial void LogTruncated(ILogger logger, int log, int remaining, int checkpointed, bool busy);

    [LoggerMessage(LogLevel.Warning, "SQLite's write-ahead log reached the hard limit: the group writer checkpointed inline ({Log} pages, {Checkpointed} copied, busy: {Busy}).")]
    private static partial void LogInline(ILogger logger, int log, int checkpointed, bool busy);

    [LoggerMessage(LogLevel.Debug, "Final checkpoint of SQLite's write-ahead log: {Log} pages, {Checkpointed} copied, busy: {Busy}.")]
    private static partial void LogFinal(ILogger logger, int log, int checkpointed, bool busy);

    /// <summary>
    /// <c>sqlite3_wal_hook</c>, which SQLitePCLRaw does not wrap. SQLite calls the hook after each commit on the
    /// connection, its write lock released, with the log's length in pages; registering it replaces the connection's
    /// automatic checkpoint (which is itself such a hook).
    /// </summary>
    private static class WalHook
    {
        private const string Library = "e_sqlite3";

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate int Callback(nint id, nint db, nint schema, int frames);

        // Kept alive for as long as the process: SQLite holds the pointer on every connection it was set on.
        private static readonly Callback OnCommitDelegate = OnCommit;
        private static readonly nint OnCommitPointer = Marshal.GetFunctionPointerForDelegate(OnCommitDelegate);

        public static int Set(nint db, nint id)
        {
            sqlite3_wal_hook(db, OnCommitPointer, id);
            return 0;
        }

        private static int OnCommit(nint id, nint db, nint schema, int frames)
        {
            // Runs inside SQLite's commit: nothing here may throw or wait.
            if (Attached.TryGetValue(id, out var checkpointer))
            {
                checkpointer.Committed(frames);
            }

            return 0;
        }

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern nint sqlite3_wal_hook(nint db, nint callback, nint id);
    }
}
