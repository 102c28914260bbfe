using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Sealing;

/// <summary>
/// The store's half of a secret ballot (decision 91): each choice is written sealed into <see cref="SealedChoice"/> (no
/// voter, no time, a random id); a step that may close the ballot gets the choices back, unsealed, in its
/// <see cref="RunContext"/>; the closing step deletes them once the engine has counted them into the totals.
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
    /// The choices so far of the instance's open secret ballots that have votes, or null when it has none (no query then).
    /// Loaded for every step of such an instance, since only the engine knows whether this step closes the ballot.
    /// </summary>
    public static async Task<UnsealedChoices?> UnsealAsync(WorkflowDbContext db, StoreKeys keys, Guid instanceId, InstanceState state, CancellationToken cancellationToken)
    {
        var ballots = state.Bookmarks.Where(b => b.Ballot is { Secret: true, Participants.Count: > 0 }).Select(b => b.Id).ToList();
        if (ballots.Count == 0)
        {
            return null;
        }

        var rows = await db.SealedChoices.AsNoTracking()
            .Where(c => c.InstanceId == instanceId && ballots.Contains(c.BookmarkId))
            .Select(c => new { c.BookmarkId, c.Sealed })
            .ToListAsync(cancellationToken);
        return new UnsealedChoices(rows.GroupBy(r => r.BookmarkId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<string>)[.. g.Select(r => BallotSeal.Unseal(keys, instanceId, g.Key, r.Sealed)).Order(StringComparer.Ordinal)],
            StringComparer.Ordinal));
    }
}
