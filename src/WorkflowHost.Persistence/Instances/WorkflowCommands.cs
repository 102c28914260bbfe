using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;
using WorkflowHost.Persistence.Sealing;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// Runs one stimulus end to end: read the instance, let the engine decide, then write state, effects and journal in
/// one transaction with an optimistic version check. A lost race re-runs the whole step on fresh state, so two votes
/// arriving together are both counted; a refusal writes nothing.
/// </summary>
public sealed class WorkflowCommands(
    IDbContextFactory<WorkflowDbContext> contextFactory,
    DefinitionCatalog catalog,
    DirectoryCache directory,
    IWorkingCalendar calendar,
    TimeProvider time,
    PersistenceOptions options,
    IEnumerable<ICommittedStepObserver> observers,
    ILogger<WorkflowCommands> logger,
    StoreKeys keys,
    ProcessStore processStore,
    StepWriteGate writeGate,
    KeptStates keptStates,
    GroupCommit? groupCommit = null)
{
    public async Task<CommandResult> StartAsync(StartCommand command, CancellationToken cancellationToken = default)
    {
        var definition = catalog.Current(command.DefinitionId);
        if (definition is null)
        {
            return CommandResult.Refused(Guid.Empty, new Refusal(RefusalCode.NotFound, $"There is no process '{command.DefinitionId}'."));
        }

        var instanceId = command.InstanceId ?? Guid.CreateVersion7(StepTime(time));
        return await ExecuteAsync(command.IdempotencyKey, async db =>
        {
            // The stored answer under the key and the directory's version stamp, in one read (issue 18).
            var scopedKey = command.IdempotencyKey is { } key ? ScopedKey(command.CommunityId, key) : null;
            var read = await db.Communities.AsNoTracking()
                .Where(c => c.Id == command.CommunityId)
                .Select(c => new
                {
                    c.DirectoryVersion,
                    Stored = scopedKey == null ? null : db.IdempotentCommands.Where(k => k.Key == scopedKey).Select(k => k.ResultJson).FirstOrDefault(),
                })
                .FirstOrDefaultAsync(cancellationToken);
            if (read?.Stored is { } stored)
            {
                return StepOutcome.Replay(Replay(stored));
            }

            var now = StepTime(time);
            var start = new StartInstance(instanceId, command.CommunityId, command.InitiatorId, command.Input);
            var attachments = await Attachments.StepAttachments.ForAsync(db, command.CommunityId, instanceId, start, cancellationToken);
            var context = new RunContext(now, await directory.GetAsync(db, command.CommunityId, read?.DirectoryVersion ?? 0, cancellationToken), calendar, Attachments: attachments);
            var result = WorkflowRunner.Start(definition, start, context);
            if (!result.Accepted)
            {
                return StepOutcome.Refused(CommandResult.Refused(instanceId, result.Refusal!));
            }

            var state = result.State!;
            var row = new WorkflowInstance
            {
                Id = instanceId, CommunityId = command.CommunityId, DefinitionId = definition.Id, DefinitionHash = definition.ContentHash,
                InitiatorId = state.Initiator.PersonId, UnitId = state.Initiator.UnitId, Status = "", StateJson = "",
                Version = 1, CreatedAt = now,
            };
            db.Instances.Add(row);
            var applier = new EffectApplier(db, row, state, now, keys, processStore);
            await applier.ApplyAsync(result.Effects, cancellationToken);
            var written = applier.FillNewRow();
            return StepOutcome.Done(Succeeded(state), new CommittedStep(row.Id, row.CommunityId, result.Effects)) with { Written = written };
        }, cancellationToken);
    }

    public async Task<CommandResult> ResumeAsync(ResumeCommand command, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(command.IdempotencyKey, async db =>
        {
            // The read compares the row's state with the bytes this host kept for it and reads them only if they differ
            // (decisions 182 and 186). On PostgreSQL the kept bytes travel to the server instead of the row's coming back:
            // the same bytes on the wire, and none allocated here for a state that did not change.
            var keptUtf8 = keptStates.BytesKept(command.InstanceId);
            var read = await ReadInstanceAsync(db, command, keptUtf8, cancellationToken);
            // A caller authorized by a reused session check is taken only if the epoch that check was made at is still
            // the epoch, read in this same statement: else nothing is written, not even a refusal or a replay (decision 173).
            if (command.AuthorizationEpoch is { } epoch && read?.AuthorizationEpoch != epoch)
            {
                throw new StaleAuthorizationException(command.InstanceId);
            }

            if (read is null)
            {
                return StepOutcome.Refused(CommandResult.Refused(command.InstanceId, new Refusal(RefusalCode.NotFound, $"There is no instance {command.InstanceId}.")));
            }

            var row = read.Row;
            if (command.Admit?.Invoke(row) is { } notAdmitted)
            {
                return StepOutcome.Refused(CommandResult.Refused(row.Id, notAdmitted));
            }

            if (read.Stored is { } stored)
            {
                return StepOutcome.Replay(Replay(stored));
            }

            var now = StepTime(time);
            if (command.Stimulus is FireTimer early
                && await db.Timers.AsNoTracking().Where(t => t.InstanceId == row.Id && t.TimerId == early.TimerId).Select(t => (DateTimeOffset?)t.DueAt).FirstOrDefaultAsync(cancellationToken) is { } dueAt
                && dueAt > now)
            {
                // A scheduler that starts a job early must not close a step before its deadline: refuse, change nothing.
                return StepOutcome.Refused(CommandResult.Refused(row.Id, new Refusal(RefusalCode.NotAllowed, $"Timer '{early.TimerId}' is not due until {dueAt:O}.")));
            }

            // The state this host wrote as this very version and these very bytes, taken for this attempt alone (decision 170);
            // otherwise parsed from the stored UTF-8 with generated metadata, no UTF-16 copy to read or transcode (decision 163).
            var stateUtf8 = read.StateUtf8(keptUtf8);
            var state = keptStates.StateOf(row.Id, row.Version, stateUtf8);
            var definition = await catalog.GetRevisionAsync(db, row.DefinitionHash, cancellationToken);
            var attachments = await Attachments.StepAttachments.ForAsync(db, row.CommunityId, row.Id, command.Stimulus, cancellationToken);
            var context = new RunContext(now, await directory.GetAsync(db, row.CommunityId, read.DirectoryVersion, cancellationToken), calendar, Attachments: attachments);
            // The state was parsed or taken from the host's kept states for this attempt alone, and a retry reads it anew:
            // the engine may change it in place. A secret ballot's sealed choices are read only by the step that closes it,
            // which then runs again (decision 169).
            var result = await SealedBallots.ResumeAsync(db, keys, definition, row.Id, row.Version, stateUtf8, state, command.Stimulus, context, cancellationToken);

            if (command.Stimulus is FireTimer fire)
            {
                await WriteInTransactionAsync(db, cancellationToken);
                // Fired or void, the timer row is settled in the same transaction: a timer fires once.
                await SettleTimerAsync(db, row.Id, fire.TimerId, result.Accepted ? TimerStatus.Fired : TimerStatus.Void, now, cancellationToken);
                if (!result.Accepted)
                {
                    return new StepOutcome(CommandResult.Refused(row.Id, result.Refusal!), null, KeepWrites: true);
                }
            }
            else if (!result.Accepted)
            {
                return StepOutcome.Refused(CommandResult.Refused(row.Id, result.Refusal!));
            }

            // A plain vote's writes are the one command of StepWrites: on PostgreSQL that command commits itself, with
            // guards that abort all of it on a lost race (decision 168). Anything more is written in a transaction.
            if (!EffectApplier.WritesOnlyTheStepCommand(result.Effects, row, result.State!))
            {
                await WriteInTransactionAsync(db, cancellationToken);
            }

            var applier = new EffectApplier(db, row, result.State!, now, keys, processStore);
            await applier.ApplyAsync(result.Effects, cancellationToken);
            var succeeded = Succeeded(result.State!);
            // The answer under the key goes in the state's own command, one round trip less (issue 18).
            var answer = command.IdempotencyKey is { } key ? Answer(row.CommunityId, key, succeeded, now) : null;
            // Alone in its transaction (no group's), with its answer in this command and nothing written after it, the step's
            // write may end the transaction itself (decision 180; PostgreSQL, and only when nothing is left to save).
            var commitWithWrite = options.CommitWithStepWrite && groupCommit is null && (command.IdempotencyKey is null || answer is not null);
            var written = await applier.SaveStateAsync(row.Version, answer, cancellationToken, commitWithWrite);
            return StepOutcome.Done(succeeded, new CommittedStep(row.Id, row.CommunityId, result.Effects))
                with { AnswerKept = answer is not null, Written = written, CommittedWithWrite = applier.CommittedWithWrite };
        }, options.SelfCommittingVotes, cancellationToken);

    /// <summary>
    /// Begins the step's transaction before its first write, where the step was started without one (a resume on
    /// PostgreSQL, decision 168); otherwise, in the transaction already open, nothing to do.
    /// </summary>
    private static async Task WriteInTransactionAsync(WorkflowDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            await db.Database.BeginTransactionAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The step's one read of its instance, in its transaction (or, on PostgreSQL's self-committing path, on its own: under
    /// READ COMMITTED a read in a transaction sees nothing the same read outside one would not, and it takes no lock): the row (within the command's community and the caller's
    /// visibility, when given), the answer stored under the idempotency key (scoped to the instance's community, known only
    /// from the row) and the community's directory version stamp (decision 110). Visibility comes first, so a replay on an
    /// instance no longer visible is "not found". Compiled (see StepReads).
    /// </summary>
    private static Task<InstanceRead?> ReadInstanceAsync(WorkflowDbContext db, ResumeCommand command, byte[]? keptUtf8, CancellationToken cancellationToken)
    {
        // The stored key is the community's id followed by this suffix: ScopedKey with the community left for SQL to add.
        var suffix = command.IdempotencyKey is { } key ? ScopedKey("", key) : null;
        if (command.Viewer is not { } viewer)
        {
            return StepReads.InCommunityAsync(db, command.InstanceId, command.CommunityId, suffix, keptUtf8, cancellationToken);
        }

        if (command.CommunityId is not null)
        {
            throw new ArgumentException("A command is confined either by a community (a job) or by a viewer (a request), not both.", nameof(command));
        }

        return StepReads.ForViewerAsync(db, command.InstanceId, viewer, suffix, keptUtf8, cancellationToken);
    }

    private static async Task SettleTimerAsync(WorkflowDbContext db, Guid instanceId, string timerId, string status, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Timers
            .Where(t => t.InstanceId == instanceId && t.TimerId == timerId && t.Status == TimerStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, status).SetProperty(t => t.FiredAt, now), cancellationToken);

    /// <summary>
    /// The time of a step, to the microsecond: PostgreSQL keeps no finer, and the journal hash covers the time, so a
    /// step stamped with 100 ns ticks would no longer verify once read back.
    /// </summary>
    internal static DateTimeOffset StepTime(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
    }

    /// <summary>How an idempotency key is stored: scoped to the community, so two communities never share one.</summary>
    public static string ScopedKey(string communityId, string idempotencyKey) => communityId + "/" + idempotencyKey;

    /// <summary>The answer to keep under an idempotency key, scoped to the instance's community.</summary>
    private static IdempotentCommand Answer(string communityId, string idempotencyKey, CommandResult result, DateTimeOffset now) => new()
    {
        Key = ScopedKey(communityId, idempotencyKey), CommunityId = communityId, CreatedAt = now,
        ResultJson = JsonSerializer.Serialize(result, EngineJson.Options),
    };

    /// <summary>The answer stored under a key, as a replay of it.</summary>
    public static CommandResult Replay(string resultJson) =>
        JsonSerializer.Deserialize<CommandResult>(resultJson, EngineJson.Options)! with { Replayed = true };

    private static CommandResult Succeeded(InstanceState state) =>
        new() { InstanceId = state.InstanceId, Status = state.Status, Result = state.Result };

    /// <summary>
    /// The retry loop: runs the step (<see cref="RunStepAsync"/>) until it commits, is refused or fails for another reason.
    /// A lost race re-runs it from the start, on fresh state, up to <see cref="PersistenceOptions.MaxConcurrencyRetries"/> times;
    /// each attempt looks for a stored answer under the key again, since the race it lost may have been with the same key.
    /// </summary>
    private Task<CommandResult> ExecuteAsync(string? idempotencyKey, Func<WorkflowDbContext, Task<StepOutcome>> step, CancellationToken cancellationToken) =>
        ExecuteAsync(idempotencyKey, step, selfCommitting: false, cancellationToken);

    private async Task<CommandResult> ExecuteAsync(
        string? idempotencyKey,
        Func<WorkflowDbContext, Task<StepOutcome>> step,
        bool selfCommitting,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunStepAsync(idempotencyKey, step, selfCommitting, cancellationToken);
            }
            catch (Exception e) when (IsConflict(e) && attempt < options.MaxConcurrencyRetries)
            {
                logger.LogDebug("Concurrency conflict on attempt {Attempt}; re-running the step. {Reason}", attempt, e.Message);
                // Jitter only spreads retries apart; it is not business time, so it does not go through the TimeProvider.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// One attempt of a step, in one transaction: the step reads what it needs, the answer stored under the key among it
    /// (given again at once, nothing written); otherwise its writes and the idempotency record (scoped to the instance's
    /// community) commit together, or a refusal rolls everything back. Observers hear of a committed step after the commit,
    /// once this process's turn to write is over. A conflict propagates to the retry loop.
    /// </summary>
    private async Task<CommandResult> RunStepAsync(
        string? idempotencyKey,
        Func<WorkflowDbContext, Task<StepOutcome>> step,
        bool selfCommitting,
        CancellationToken cancellationToken)
    {
        StepOutcome outcome;
        try
        {
            outcome = groupCommit is not null
                ? await groupCommit.RunAsync(step, (done, db) => KeepAnswer(db, idempotencyKey, done), cancellationToken)
                : await RunAloneAsync(idempotencyKey, step, selfCommitting, cancellationToken);
        }
        catch (StepRefusedException refused)
        {
            // The store refused what the engine accepted (a facility already reserved): nothing of the step is kept.
            return CommandResult.Refused(refused.InstanceId, refused.Refusal);
        }

        if (outcome.Step is { } committed)
        {
            await NotifyObserversAsync(committed, cancellationToken);
        }

        // Only now, committed (alone, in its group, or by its own command) and with the observers done with its effects,
        // is the state the step wrote kept for the next step on the instance (decision 170).
        if (outcome is { Replayed: false, Result.Succeeded: true, Step: not null, Written: { } written })
        {
            keptStates.Keep(written);
        }

        return outcome.Result;
    }

    /// <summary>
    /// A step in a transaction of its own (PostgreSQL, or SQLite with group commit turned off). A
    /// <paramref name="selfCommitting"/> step on PostgreSQL (a resume, decision 168) starts without one: it reads on its
    /// own and either begins the transaction before its first write (<see cref="WriteInTransactionAsync"/>) or sends its
    /// writes as one command that commits itself, one round trip (the COMMIT) fewer.
    /// </summary>
    private async Task<StepOutcome> RunAloneAsync(
        string? idempotencyKey,
        Func<WorkflowDbContext, Task<StepOutcome>> step,
        bool selfCommitting,
        CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        // One writer at a time on SQLite, queued here rather than in SQLite's busy handler (see StepWriteGate). The turn
        // covers the whole transaction: leaving the block rolls back whatever was not committed before the next step begins.
        using (await writeGate.EnterAsync(cancellationToken))
        {
            if (selfCommitting && db.OnPostgreSql)
            {
                // The read and the write on one physical connection, as in a transaction: no return to the pool between them.
                await db.Database.OpenConnectionAsync(cancellationToken);
            }
            else
            {
                await db.Database.BeginTransactionAsync(cancellationToken);
            }

            // Leaving without a commit (a refusal, a replay, an exception) rolls the transaction back as it is disposed.
            try
            {
                var outcome = KeepAnswer(db, idempotencyKey, await step(db));
                var transaction = db.Database.CurrentTransaction;
                if (outcome.Replayed || (!outcome.Result.Succeeded && !outcome.KeepWrites))
                {
                    // A replay changes nothing. A refusal changes nothing and is not remembered: the same key may be
                    // retried with a corrected request.
                    if (transaction is not null)
                    {
                        await transaction.RollbackAsync(cancellationToken);
                    }

                    return outcome;
                }

                if (transaction is null || outcome.CommittedWithWrite)
                {
                    // The step's one command committed itself (decision 168), or its last command ended with the COMMIT
                    // (decision 180; the transaction, completed, is only disposed below). Anything tracked now would be a
                    // write the step should have left to a COMMIT of its own: a bug, said loudly.
                    if (db.ChangeTracker.HasChanges())
                    {
                        throw new InvalidOperationException("A self-committing step left changes tracked; they were not written (decision 168).");
                    }

                    return outcome;
                }

                // A vote leaves nothing tracked (its writes are statements, StepWrites): skip the change tracker's scan and batch.
                if (db.ChangeTracker.HasChanges())
                {
                    await db.SaveChangesAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return outcome;
            }
            finally
            {
                if (db.Database.CurrentTransaction is { } open)
                {
                    await open.DisposeAsync();
                }
            }
        }
    }

    /// <summary>
    /// A successful step's answer, kept under its idempotency key in the step's transaction, unless the step's own
    /// statement already wrote it (a vote, StepWrites).
    /// </summary>
    private StepOutcome KeepAnswer(WorkflowDbContext db, string? idempotencyKey, StepOutcome outcome)
    {
        if (idempotencyKey is not null && outcome is { Replayed: false, Result.Succeeded: true, Step: { } committed, AnswerKept: false })
        {
            db.IdempotentCommands.Add(Answer(committed.CommunityId, idempotencyKey, outcome.Result, StepTime(time)));
        }

        return outcome;
    }

    private async Task NotifyObserversAsync(CommittedStep step, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnCommittedAsync(step, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The step is committed; whatever an observer failed to do, the sweep catches up on.
                logger.LogWarning(e, "Observer {Observer} failed after instance {InstanceId} was committed.", observer.GetType().Name, step.InstanceId);
            }
        }
    }

    private static bool IsConflict(Exception e) => e switch
    {
        ConcurrencyConflictException or DbUpdateConcurrencyException => true,

        // Two first-time inserts of the same key (idempotency key, number series) race: re-run and find the winner's row.
        // Only key violations qualify (SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE); NOT NULL or foreign-key
        // failures are bugs and surface at once.
        // The step's own statements (StepWrites) raise the provider's exception as it is, not wrapped.
        DbUpdateException { InnerException: { } inner } when inner is Microsoft.Data.Sqlite.SqliteException or Npgsql.PostgresException => IsConflict(inner),
        Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 1555 or 2067 } => true,
        Npgsql.PostgresException { SqlState: "23505" or "40001" or "40P01" } => true,

        // EF Core wraps a deadlock raised by ExecuteUpdate in "likely due to a transient failure"; the cause is what counts.
        InvalidOperationException { InnerException: { } inner } => IsConflict(inner),
        _ => false,
    };
}

/// <summary>
/// What a step produced; <see cref="KeepWrites"/> commits a refused step's bookkeeping (a timer marked void);
/// <see cref="Replayed"/> is the answer stored under the request's idempotency key, given again with nothing written;
/// <see cref="Written"/> is the state a successful step wrote, kept once it has committed.
/// </summary>
internal sealed record StepOutcome(CommandResult Result, CommittedStep? Step, bool KeepWrites = false, bool Replayed = false, bool AnswerKept = false)
{
    public WrittenStep? Written { get; init; }

    /// <summary>The step's last command also committed its transaction (decision 180): nothing more to save or commit.</summary>
    public bool CommittedWithWrite { get; init; }

    public static StepOutcome Refused(CommandResult result) => new(result, null);

    public static StepOutcome Replay(CommandResult stored) => new(stored, null, Replayed: true);

    public static StepOutcome Done(CommandResult result, CommittedStep step) => new(result, step);
}

public sealed record StartCommand(string DefinitionId, string CommunityId, string InitiatorId, JsonObject Input, string? IdempotencyKey = null, Guid? InstanceId = null);

/// <summary>
/// A stimulus for one instance. <see cref="CommunityId"/> confines it to a community when the sender knows it (jobs); an
/// API request leaves it null and gives <see cref="Viewer"/>, whose visibility narrows the read, and
/// <see cref="Admit"/>, a check of the row before the engine runs. Both ride on the step's own read of the instance, in
/// its transaction, instead of a query of their own (issue 18).
/// </summary>
public sealed record ResumeCommand(Guid InstanceId, string? CommunityId, Stimulus Stimulus, string? IdempotencyKey = null)
{
    /// <summary>The person acting: an instance they may not see is "not found" (<see cref="InstanceVisibility"/>).</summary>
    public Viewer? Viewer { get; init; }

    /// <summary>A refusal for an instance the caller may see but not act on this way (a role of another community).</summary>
    public Func<WorkflowInstance, Refusal?>? Admit { get; init; }

    /// <summary>
    /// Set when <see cref="Viewer"/> comes from a session check this host reused rather than made for this request: the
    /// authorization epoch that check was made at. The step's read must see the same epoch, or the step throws
    /// <see cref="StaleAuthorizationException"/> having written nothing (decision 173).
    /// </summary>
    public long? AuthorizationEpoch { get; init; }
}

/// <summary>What one committed step did; observers act on it after the commit (scheduling jobs, delivering messages).</summary>
public sealed record CommittedStep(Guid InstanceId, string CommunityId, IReadOnlyList<Effect> Effects);

public interface ICommittedStepObserver
{
    Task OnCommittedAsync(CommittedStep committed, CancellationToken cancellationToken);
}
