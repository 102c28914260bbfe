using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// SQLite's steps, committed in groups (decision 158). On SQLite every step of this process already runs one at a time
/// (<see cref="StepWriteGate"/>), and each paid its own commit: an fsync and the changed pages written again to the log.
/// Here the steps that queue while one commits run next in one transaction, each inside a savepoint of its own, and
/// share one commit. A step is answered only after that commit, so an acknowledged step is as durable as before
/// (<c>synchronous=FULL</c>); a step that fails or is refused is rolled back to its savepoint and leaves the others'
/// writes alone. Each step still reads what the steps before it in the group wrote, so their order is the queue's order,
/// as under the gate. PostgreSQL, which runs steps side by side, does not use this.
/// The writer keeps one context and its connection open from group to group, with the steps' statements kept prepared on
/// it (<see cref="SqliteKeptStatements"/>, decision 161); a group that fails drops them, and the next starts afresh.
/// </summary>
public sealed partial class GroupCommit : IAsyncDisposable, IDisposable
{
    /// <summary>The most steps sharing one commit: bounds the wait of the first step in a group.</summary>
    public const int MaxGroup = 32;

    private readonly IDbContextFactory<WorkflowDbContext> _contexts;
    private readonly StepWriteGate _writeGate;
    private readonly ILogger<GroupCommit> _logger;
    private readonly Channel<QueuedStep> _queue = Channel.CreateUnbounded<QueuedStep>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writeLoop;
    private readonly Histogram<int> _groupSizes;
    private readonly SqliteCheckpointer? _checkpointer;
    private SqliteKeptContext? _open;

    /// <summary>The meter an operator watches (<c>dotnet-counters monitor --counters WorkflowHost.Persistence</c>).</summary>
    public const string MeterName = "WorkflowHost.Persistence";

    public GroupCommit(IDbContextFactory<WorkflowDbContext> contexts, StepWriteGate writeGate, ILogger<GroupCommit> logger, IMeterFactory meters, SqliteCheckpointer? checkpointer = null)
    {
        _checkpointer = checkpointer;
        _contexts = contexts;
        _writeGate = writeGate;
        _logger = logger;
        // One histogram: its count is the commits, its sum the steps, their ratio how much each commit saved.
        _groupSizes = meters.Create(MeterName).CreateHistogram<int>(
            "workflowhost.sqlite.group_commit.steps", unit: "{step}", description: "Steps that shared one SQLite commit, refused and replayed ones included.");
        _writeLoop = Task.Run(WriteAsync);
    }

    /// <summary>Groups committed since start: with <see cref="StepsCommitted"/>, how many steps a commit carried.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Steps whose writes were committed in a group (refusals and replays not counted).</summary>
    public long StepsCommitted => Interlocked.Read(ref _stepsCommitted);

    /// <summary>The statements the writer's open connection keeps prepared; none between a failed group and the next.</summary>
    internal SqliteKeptStatements.KeptOnConnection? KeptStatements => _open?.Statements;

    /// <summary>Steps queued and not yet taken into a group.</summary>
    internal int Waiting => Volatile.Read(ref _waiting);

    private int _waiting;

    private long _commits;
    private long _stepsCommitted;

    /// <summary>
    /// Queues a step and answers once its group has committed or it was rolled back. A conflict or failure of the step
    /// itself comes back as its exception, for the caller's retry loop, as from a transaction of its own.
    /// </summary>
    internal Task<StepOutcome> RunAsync(Func<WorkflowDbContext, Task<StepOutcome>> step, Func<StepOutcome, WorkflowDbContext, StepOutcome> keep, CancellationToken cancellationToken)
    {
        var queued = new QueuedStep(step, keep, cancellationToken);
        Interlocked.Increment(ref _waiting);
        if (!_queue.Writer.TryWrite(queued))
        {
            Interlocked.Decrement(ref _waiting);
            throw new ObjectDisposedException(nameof(GroupCommit), "The host is stopping: no more steps are taken.");
        }

        return queued.Answer.Task;
    }

    /// <summary>Takes no more steps, and returns once those already queued are committed or refused.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writeLoop;
        await CloseWriterAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteAsync()
    {
        var group = new List<QueuedStep>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var queued))
            {
                Interlocked.Decrement(ref _waiting);
                if (queued.CancellationToken.IsCancellationRequested)
                {
                    queued.Answer.TrySetCanceled(queued.CancellationToken);
                    continue;
                }

                group.Add(queued);
            }

            if (group.Count > 0)
            {
                await CommitGroupAsync(group);
            }
        }
    }

    /// <summary>
    /// One group: a transaction, a savepoint per step, one commit, then every answer. If the commit (or the transaction
    /// itself) fails, no step of the group is answered as done: each gets the failure, and nothing of it was kept.
    /// </summary>
    private async Task CommitGroupAsync(List<QueuedStep> group)
    {
        try
        {
            using (await _writeGate.EnterAsync(CancellationToken.None))
            {
                var db = await OpenWriterAsync();
                var savepoints = _open!.Statements;
                await using var transaction = await db.Database.BeginTransactionAsync();
                for (var i = 0; i < group.Count; i++)
                {
                    await RunAsTheCallerAsync(db, savepoints, group[i], i);
                }

                await transaction.CommitAsync();
            }
        }
        catch (Exception e)
        {
            // Whatever failed may have left the connection unusable: the next group opens a new one.
            await CloseWriterAsync();
            LogGroupFailed(_logger, e, group.Count);
            foreach (var queued in group)
            {
                queued.Answer.TrySetException(e);
            }

            return;
        }

        // Counted before any answer, so a caller that reads the counters after its answer sees its own commit.
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _stepsCommitted, group.Count(queued => queued.Kept));
        _groupSizes.Record(group.Count);
        foreach (var queued in group)
        {
            queued.Publish();
        }

        // The log reached its bound (the background checkpointer stopped or cannot keep up): checkpointed here, after the
        // answers, before the next group (decision 167).
        if (_checkpointer is { OverHardLimit: true } checkpointer && _open is { } open)
        {
            try
            {
                using (await _writeGate.EnterAsync(CancellationToken.None))
                {
                    checkpointer.CheckpointInline((SqliteConnection)open.Db.Database.GetDbConnection());
                }
            }
            catch (SqliteException e)
            {
                LogInlineCheckpointFailed(_logger, e);
            }
        }
    }

    /// <summary>The writer's context, its connection open and keeping the steps' statements prepared.</summary>
    private async Task<WorkflowDbContext> OpenWriterAsync()
    {
        // Its commits leave the checkpoints to the background checkpointer (decision 167).
        _open ??= await SqliteKeptContext.OpenAsync(_contexts, CancellationToken.None, opened: connection => _checkpointer?.Attach(connection));
        return _open.Db;
    }

    private async Task CloseWriterAsync()
    {
        if (_open is not { } open)
        {
            return;
        }

        _open = null;
        await open.CloseAsync(e => LogWriterNotClosed(_logger, e), closing: _checkpointer is null ? null : SqliteCheckpointer.Detach);
    }

    /// <summary>
    /// Runs the step in its caller's execution context, as if the caller ran it: the request's trace, log scope and
    /// anything else it carries in async locals (the SQL command counters of the round-trip tests among them) cover the
    /// step's statements, not the writer's.
    /// </summary>
    private static Task RunAsTheCallerAsync(WorkflowDbContext db, SqliteKeptStatements.KeptOnConnection savepoints, QueuedStep queued, int index)
    {
        if (queued.Caller is not { } caller)
        {
            return RunInSavepointAsync(db, savepoints, queued, index);
        }

        var run = new CallerRun(db, savepoints, queued, index);
        ExecutionContext.Run(caller, static state => ((CallerRun)state!).Start(), run);
        return run.Work!;
    }

    private sealed class CallerRun(WorkflowDbContext db, SqliteKeptStatements.KeptOnConnection savepoints, QueuedStep queued, int index)
    {
        public Task? Work { get; private set; }

        public void Start() => Work = RunInSavepointAsync(db, savepoints, queued, index);
    }

    /// <summary>
    /// Each place's savepoint statements, in Microsoft.Data.Sqlite's own words (SqliteTransaction.Save, Release and
    /// Rollback to a name): run on statements the writer's connection keeps (decision 176), not prepared and finalized
    /// for every step as EF Core's savepoints were.
    /// </summary>
    private static readonly (string Create, string Release, string RollBack)[] Savepoints =
        [.. Enumerable.Range(0, MaxGroup).Select(i => ($"SAVEPOINT \"step{i}\";", $"RELEASE SAVEPOINT \"step{i}\";", $"ROLLBACK TO SAVEPOINT \"step{i}\";"))];

    /// <summary>
    /// A step inside its savepoint. What the step decides (an outcome or its own exception) is held until the group's
    /// commit; a failure of the savepoint statements themselves means the transaction is gone, and fails the group.
    /// A step rolled back leaves its savepoint open (SQLite's ROLLBACK TO does), as EF Core's savepoints did: the next
    /// step's savepoint nests in it, and the group's commit ends them all.
    /// </summary>
    private static async Task RunInSavepointAsync(WorkflowDbContext db, SqliteKeptStatements.KeptOnConnection savepoints, QueuedStep queued, int index)
    {
        var savepoint = Savepoints[index];
        savepoints.Execute(savepoint.Create);
        try
        {
            var outcome = queued.Keep(await queued.Step(db), db);
            if (outcome.Replayed || (!outcome.Result.Succeeded && !outcome.KeepWrites))
            {
                savepoints.Execute(savepoint.RollBack);
            }
            else
            {
                if (db.ChangeTracker.HasChanges())
                {
                    await db.SaveChangesAsync(queued.CancellationToken);
                }

                savepoints.Execute(savepoint.Release);
                queued.Kept = true;
            }

            queued.Outcome = outcome;
        }
        catch (Exception e)
        {
            // Should the rollback itself fail, the transaction is gone: that propagates and fails the whole group.
            savepoints.Execute(savepoint.RollBack);
            queued.Failure = e;
        }
        finally
        {
            // The next step starts from the database, not from what this one left tracked.
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(LogLevel.Warning, "The group writer's connection could not be closed cleanly; the next group opens another.")]
    private static partial void LogWriterNotClosed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "The group writer's checkpoint at the write-ahead log's hard limit failed; the next commit tries again.")]
    private static partial void LogInlineCheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Error, "A group of {Count} steps was not committed; each is answered with the failure.")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count);

    private sealed class QueuedStep(Func<WorkflowDbContext, Task<StepOutcome>> step, Func<StepOutcome, WorkflowDbContext, StepOutcome> keep, CancellationToken cancellationToken)
    {
        public Func<WorkflowDbContext, Task<StepOutcome>> Step { get; } = step;

        public Func<StepOutcome, WorkflowDbContext, StepOutcome> Keep { get; } = keep;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public ExecutionContext? Caller { get; } = ExecutionContext.Capture();

        // Continuations run off the writer: the request's own work after the commit must not hold up the next group.
        public TaskCompletionSource<StepOutcome> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StepOutcome? Outcome { get; set; }

        public Exception? Failure { get; set; }

        public bool Kept { get; set; }

        public void Publish()
        {
            if (Failure is not null)
            {
                Answer.TrySetException(Failure);
            }
            else
            {
                Answer.TrySetResult(Outcome!);
            }
        }
    }
}
