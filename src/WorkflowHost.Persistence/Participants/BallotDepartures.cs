using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Participants;

/// <summary>
/// Applies decision 109 after a member left the committee: a <see cref="VoterLeft"/> stimulus to every open ballot they
/// are a voter on and still count in (voted or not), each an ordinary step (one transaction, retried on a lost race),
/// so the engine decides and the runner stays deterministic. A departure before the vote takes the member out of the
/// eligible count and is journaled twice: in the instance's chain and in the directory's change journal.
/// Running it again changes nothing: a member already out of the count is refused by the engine as recused.
/// </summary>
public sealed partial class BallotDepartures(
    IDbContextFactory<WorkflowDbContext> contexts,
    WorkflowCommands commands,
    TimeProvider time,
    ILogger<BallotDepartures> logger)
{
    public async Task<int> ApplyAsync(string communityId, Departure departure, CancellationToken cancellationToken = default)
    {
        List<(Guid InstanceId, string BookmarkId, string Status)> ballots;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var rows = await db.BallotVoters.AsNoTracking()
                .Where(v => v.PersonId == departure.PersonId && v.CommunityId == communityId && v.Status != VoterStatus.Recused)
                .Join(db.WorkItems.Where(w => w.Kind == WorkItemKind.Ballot && w.Status == WorkItemStatus.Open),
                    v => new { v.InstanceId, v.BookmarkId }, w => new { w.InstanceId, w.BookmarkId }, (v, _) => new { v.InstanceId, v.BookmarkId, v.Status })
                .ToListAsync(cancellationToken);
            ballots = [.. rows.Select(r => (r.InstanceId, r.BookmarkId, r.Status))];
        }

        var reduced = 0;
        foreach (var (instanceId, bookmarkId, status) in ballots)
        {
            if (await ApplyToBallotAsync(communityId, departure, instanceId, bookmarkId, status, cancellationToken) && status == VoterStatus.Pending)
            {
                reduced++;
            }
        }

        return reduced;
    }

    /// <summary>One ballot: the engine's step, then, for a voter who had not voted, the directory's journal line.</summary>
    private async Task<bool> ApplyToBallotAsync(string communityId, Departure departure, Guid instanceId, string bookmarkId, string status, CancellationToken cancellationToken)
    {
        var result = await commands.ResumeAsync(
            new ResumeCommand(instanceId, communityId, new VoterLeft(bookmarkId, departure.PersonId, departure.LeftOn, departure.ChangeId)),
            cancellationToken);
        if (!result.Succeeded)
        {
            // Closed or recused meanwhile (by the change's own host, or another sweep): nothing left to change on that ballot.
            logger.LogInformation("Departure of {Person} not applied to ballot {Bookmark} of {Instance}: {Refusal}.", departure.PersonId, bookmarkId, instanceId, result.Refusal);
            return false;
        }

        if (status == VoterStatus.Pending)
        {
            await JournalAsync(communityId, departure, instanceId, bookmarkId, cancellationToken);
        }

        return true;
    }

    private async Task JournalAsync(string communityId, Departure departure, Guid instanceId, string bookmarkId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        db.DirectoryChanges.Add(new DirectoryChange
        {
            Id = Guid.CreateVersion7(now), CommunityId = communityId, At = now, ActorId = departure.ActorId,
            Kind = DirectoryChangeKind.BallotEligibilityReduced, SubjectId = departure.PersonId,
            AfterJson = System.Text.Json.JsonSerializer.Serialize(new { instance = instanceId, ballot = bookmarkId, leftOn = departure.LeftOn, change = departure.ChangeId }),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
