using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace WorkflowHost.Persistence;

/// <summary>
/// A few SQLite connections that stay open for the reads every request makes (decision 162): the session check. Each
/// "kept reader" is a context of its own with its connection open and its statements kept prepared
/// (<see cref="SqliteKeptStatements"/>), leased for one read and handed back. A request's own context opened a
/// connection from the pool, prepared the session's statement, and finalized it and closed the connection when it ended.
/// </summary>
/// <remarks>
/// <para>
/// At most <see cref="Bound"/> readers are open, opened when first needed. A read that finds every reader leased does not
/// wait: it runs on a context of its own, as before. Microsoft.Data.Sqlite runs a statement on the calling thread, so a
/// leased reader belongs to a thread that is running (or was preempted); waiting for it would add that thread's turn to
/// this request's time, while the old path only costs what it always cost (<see cref="ReadsElsewhere"/>).
/// </para>
/// <para>
/// Each read is one autocommit statement: SQLite starts its read transaction when the statement starts and ends it when
/// the statement is reset (the data reader's disposal), so a read sees every commit made before it started, through any
/// connection or host, as a fresh connection's does; an idle reader holds no snapshot and blocks no checkpoint. A read
/// that fails drops its reader (the next read opens another) and is answered once more on a context of its own; a
/// cancelled one drops its reader and is not retried. The readers belong to one service provider (one database) and are
/// closed when it is disposed.
/// </para>
/// </remarks>
public sealed partial class SqliteKeptReaders : IAsyncDisposable, IDisposable
{
    /// <summary>
    /// The most readers kept by default, whatever the processor count: each holds a connection and its page cache. A
    /// configured <c>Persistence:KeptReaders</c> is taken as it is (the host's options validation allows 0 to 64).
    /// </summary>
    public const int MaxReaders = 4;

    private readonly IDbContextFactory<WorkflowDbContext> _contexts;
    private readonly ILogger<SqliteKeptReaders> _logger;
    private readonly Counter<long> _elsewhere;
    private readonly Lock _lock = new();
    private readonly Stack<SqliteKeptContext> _idle = new();
    private int _open;
    private bool _disposed;
    private long _opened;
    private long _busy;
    private long _failed;

    public SqliteKeptReaders(IDbContextFactory<WorkflowDbContext> contexts, PersistenceOptions options, ILogger<SqliteKeptReaders> logger, IMeterFactory meters)
    {
        _contexts = contexts;
        _logger = logger;
        Bound = BoundFor(options);
        _elsewhere = meters.Create(GroupCommitMeter).CreateCounter<long>(
            "workflowhost.sqlite.kept_readers.elsewhere", unit: "{read}",
            description: "Per-request reads that ran on a connection of their own: every kept reader was leased (reason=busy), or the kept reader failed (reason=failed).");
    }

    private const string GroupCommitMeter = Instances.GroupCommit.MeterName;

    /// <summary>The readers this host keeps: <c>Persistence:KeptReaders</c>, or one per processor up to <see cref="MaxReaders"/>.</summary>
    public int Bound { get; }

    /// <summary>0 turns the kept readers off: every read opens a context of its own, as before decision 162.</summary>
    public static int BoundFor(PersistenceOptions options) =>
        options.KeptReaders ?? Math.Clamp(Environment.ProcessorCount, 1, MaxReaders);

    /// <summary>Readers opened since start, replacements included.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Reads that found every reader leased and ran on a context of their own.</summary>
    public long ReadsElsewhere => Interlocked.Read(ref _busy);

    /// <summary>Reads whose reader failed: the reader was dropped and the read answered on a context of its own.</summary>
    public long ReadsFailed => Interlocked.Read(ref _failed);

    /// <summary>Readers open now, leased or idle.</summary>
    public int Open
    {
        get
        {
            lock (_lock)
            {
                return _open;
            }
        }
    }

    /// <summary>The connections of the idle readers: for tests, which ask SQLite what is prepared on them.</summary>
    internal IReadOnlyList<SqliteConnection> IdleConnections
    {
        get
        {
            lock (_lock)
            {
                return [.. _idle.Select(reader => reader.Statements.Connection)];
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a kept reader, or on a context of its own when none is free. The read must only
    /// read (the reader's context tracks nothing) and must not keep the context or its results' readers past its task.
    /// </summary>
    public async Task<TResult> ReadAsync<TArg, TResult>(TArg arg, Func<WorkflowDbContext, TArg, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        if (await LeaseAsync(cancellationToken) is not { } reader)
        {
            Interlocked.Increment(ref _busy);
            _elsewhere.Add(1, new KeyValuePair<string, object?>("reason", "busy"));
            return await ReadOnItsOwnAsync(arg, read, cancellationToken);
        }

        TResult result;
        try
        {
            result = await read(reader.Db, arg, cancellationToken);
        }
        catch (Exception e)
        {
            // Whatever failed may have left the connection or its statements unusable: the next read opens another.
            await DropAsync(reader);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            Interlocked.Increment(ref _failed);
            _elsewhere.Add(1, new KeyValuePair<string, object?>("reason", "failed"));
            LogReaderFailed(_logger, e);
            return await ReadOnItsOwnAsync(arg, read, cancellationToken);
        }

        await ReturnAsync(reader);
        return result;
    }

    private async Task<TResult> ReadOnItsOwnAsync<TArg, TResult>(TArg arg, Func<WorkflowDbContext, TArg, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        return await read(db, arg, cancellationToken);
    }

    /// <summary>An idle reader, a new one while fewer than <see cref="Bound"/> are open, or null.</summary>
    private async ValueTask<SqliteKeptContext?> LeaseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            SqliteKeptContext? idle;
            lock (_lock)
            {
                if (_disposed)
                {
                    return null;
                }

                if (!_idle.TryPop(out idle))
                {
                    if (_open >= Bound)
                    {
                        return null;
                    }

                    _open++;
                    break;
                }
            }

            // A connection closed under its reader would be opened and closed again by EF Core for each read, keeping
            // nothing: that reader is replaced.
            if (idle.Statements.Connection.State == System.Data.ConnectionState.Open)
            {
                return idle;
            }

            await DropAsync(idle);
        }

        try
        {
            var reader = await SqliteKeptContext.OpenAsync(_contexts, cancellationToken);
            // Nothing read on a reader is tracked, whatever the query says: the context outlives the request.
            reader.Db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
            Interlocked.Increment(ref _opened);
            return reader;
        }
        catch
        {
            lock (_lock)
            {
                _open--;
            }

            throw;
        }
    }

    private async ValueTask ReturnAsync(SqliteKeptContext reader)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _idle.Push(reader);
                return;
            }
        }

        await DropAsync(reader);
    }

    private async ValueTask DropAsync(SqliteKeptContext reader)
    {
        lock (_lock)
        {
            _open--;
        }

        await reader.CloseAsync(e => LogReaderNotClosed(_logger, e));
    }

    /// <summary>Closes the idle readers; a reader leased now is closed when its read ends.</summary>
    public async ValueTask DisposeAsync()
    {
        SqliteKeptContext[] idle;
        lock (_lock)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var reader in idle)
        {
            await DropAsync(reader);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [LoggerMessage(LogLevel.Warning, "A kept SQLite reader failed; it was dropped and the read ran on a connection of its own.")]
    private static partial void LogReaderFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "A kept SQLite reader's connection could not be closed cleanly.")]
    private static partial void LogReaderNotClosed(ILogger logger, Exception exception);
}
