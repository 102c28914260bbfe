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
        WorkflowDbContext db, StoreKeys keys, WorkflowDefinition definition, Guid instanceId, byte[] stateUtf8, InstanceState parsed,
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
                unsealed[needed.BookmarkId] = await UnsealAsync(db, keys, instanceId, needed.BookmarkId, cancellationToken);
                state = JsonSerializer.Deserialize(stateUtf8, EngineJson.State)!;
            }
        }
    }

    /// <summary>The choices cast so far on one ballot, unsealed, in no order that says who cast which.</summary>
    private static async Task<IReadOnlyList<string>> UnsealAsync(WorkflowDbContext db, StoreKeys keys, Guid instanceId, string bookmarkId, CancellationToken cancellationToken)
    {
        var choices = new List<string>();
        await foreach (var sealedChoice in ChoicesOf.For(db)(db, instanceId, bookmarkId).WithCancellation(cancellationToken))
        {
            choices.Add(BallotSeal.Unseal(keys, instanceId, bookmarkId, sealedChoice));
        }

        choices.Sort(StringComparer.Ordinal);
        return choices;
    }

    /// <summary>One ballot's sealed choices, compiled: the closing step of every secret ballot runs it.</summary>
    private static readonly CompiledPerModel<Func<WorkflowDbContext, Guid, string, IAsyncEnumerable<byte[]>>> ChoicesOf = new(() =>
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid instanceId, string bookmarkId) =>
            db.SealedChoices.AsNoTracking().Where(c => c.InstanceId == instanceId && c.BookmarkId == bookmarkId).Select(c => c.Sealed)));
}
