using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Queries;

namespace WorkflowHost.Persistence.Sealing;

/// <summary>
/// The store's half of a secret ballot (decision 91): each choice is written sealed into <see cref="SealedChoice"/> (no
/// voter, no time, a random id); the step that closes the ballot gets the choices back, unsealed, in its
/// <see cref="RunContext"/> (decision 169); the closing step deletes them once the engine has counted them into the totals.
/// </summary>
internal static class SealedBallots
{
    /// <summary>The sealed row of a secret choice, for the step to write with its state (StepWrites).</summary>
    public static SealedChoice Seal(StoreKeys keys, WorkflowInstance row, SecretChoiceCast cast) => new()
    {
        Id = Guid.NewGuid(), // random (version 4), unlike the time-ordered ids elsewhere: it must not say when
        InstanceId = row.Id, BookmarkId = cast.BookmarkId, CommunityId = row.CommunityId,
        Sealed = BallotSeal.Seal(keys, row.Id, cast.BookmarkId, cast.Choice),
    };

    /// <summary>The ballot's stored sealed choices; the step drops its own unwritten ones itself.</summary>
    public static async Task DropAsync(WorkflowDbContext db, Guid instanceId, string bookmarkId, CancellationToken cancellationToken)
    {
        await db.SealedChoices.Where(c => c.InstanceId == instanceId && c.BookmarkId == bookmarkId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Resumes the instance with no sealed choices in the context, which is all a step that does not close a secret ballot
    /// needs: most secret votes, which only add a choice, read and unseal nothing (decision 169). A step that closes one
    /// says so (<see cref="SealedChoicesNeededException"/>); its run is dropped whole, nothing of it applied, and the step
    /// runs again with that ballot's choices unsealed, on a state parsed afresh from <paramref name="stateUtf8"/>: the
    /// runner changes the state it is handed in place (decision 160), so the first run's state is not the stored one.
    /// Same time, directory and stimulus, so the second run is the one the step would have been with the choices up front.
    /// </summary>
    public static async Task<RunResult> ResumeAsync(
        WorkflowDbContext db, StoreKeys keys, WorkflowDefinition definition, Guid instanceId, int readVersion, byte[] stateUtf8, InstanceState parsed,
        Stimulus stimulus, RunContext context, CancellationToken cancellationToken)
    {
        var state = parsed;
        Dictionary<string, IReadOnlyList<string>>? unsealed = null;
        while (true)
        {
            try
            {
                return WorkflowRunner.ResumeHandedOver(definition, state, stimulus, unsealed is null ? context : context with { Unsealed = new UnsealedChoices(unsealed) });
            }
            catch (SealedChoicesNeededException needed) when (unsealed?.ContainsKey(needed.BookmarkId) != true)
            {
                // A ballot already handed in is never asked for again (UnsealedChoices.Holds), so this ends: one more run per ballot.
                unsealed ??= new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                unsealed[needed.BookmarkId] = await UnsealAsync(db, keys, instanceId, readVersion, needed.BookmarkId, cancellationToken);
                state = JsonSerializer.Deserialize(stateUtf8, EngineJson.State)!;
            }
        }
    }

    /// <summary>
    /// The choices cast so far on one ballot, unsealed, in no order that says who cast which; read in one statement with the
    /// instance's version, which must still be <paramref name="readVersion"/>. On PostgreSQL a step reads the instance and
    /// then the choices in separate statements, and a vote committed between them would add a choice the state read does
    /// not count (or a closing step would have deleted them all): the step then lost a race, and runs again on fresh rows
    /// instead of failing the count (decision 169). Under SQLite's single writer the version never moves here.
    /// </summary>
    internal static async Task<IReadOnlyList<string>> UnsealAsync(
        WorkflowDbContext db, StoreKeys keys, Guid instanceId, int readVersion, string bookmarkId, CancellationToken cancellationToken)
    {
        var choices = new List<string>();
        var seen = false;
        await foreach (var row in ChoicesOf.For(db)(db, instanceId, bookmarkId).WithCancellation(cancellationToken))
        {
            seen = true;
            if (row.Version != readVersion)
            {
                throw new Instances.ConcurrencyConflictException(
                    $"Instance {instanceId} changed since version {readVersion} was read, before ballot {bookmarkId}'s sealed choices were.");
            }

            if (row.Sealed is { } sealedChoice)
            {
                choices.Add(BallotSeal.Unseal(keys, instanceId, bookmarkId, sealedChoice));
            }
        }

        if (!seen)
        {
            throw new Instances.ConcurrencyConflictException($"Instance {instanceId} is gone since version {readVersion} was read.");
        }

        choices.Sort(StringComparer.Ordinal);
        return choices;
    }

    /// <summary>
    /// One ballot's sealed choices with the instance's version on each row (one row with no choice when there are none),
    /// compiled: the closing step of every secret ballot runs it.
    /// </summary>
    private static readonly CompiledPerModel<Func<WorkflowDbContext, Guid, string, IAsyncEnumerable<VersionedChoice>>> ChoicesOf = new(() =>
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid instanceId, string bookmarkId) =>
            from instance in db.Instances.AsNoTracking()
            where instance.Id == instanceId
            from choice in db.SealedChoices.AsNoTracking().Where(c => c.InstanceId == instanceId && c.BookmarkId == bookmarkId).DefaultIfEmpty()
            select new VersionedChoice(instance.Version, choice == null ? null : choice.Sealed)));

    internal sealed record VersionedChoice(int Version, byte[]? Sealed);
}
