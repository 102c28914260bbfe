using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Participants;

/// <summary>
/// Departures the directory committed but the ballots never heard of: the host stopped between a change's commit and
/// <see cref="BallotDepartures.ApplyAsync"/> (decision 112). Nothing extra is written with the change; the database
/// already says everything: a voter still pending on an open ballot, without the committee-member role, whose role
/// ended by a directory change recorded after the ballot opened. The overdue sweep runs this every minute and at
/// start-up. Applying a departure leaves the voter recused, so a second run finds nothing: it is idempotent.
/// </summary>
public sealed partial class BallotDepartures
{
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var stranded = new List<(string CommunityId, Departure Departure, Guid InstanceId, string BookmarkId)>();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            // Only voters with a role-ended change can have left: asking the database for that first keeps the list to the
            // few who did, not every pending voter lacking the role (docs/benchmarks.md section 9: 140,000 such rows, read
            // whole every minute, were the 1,000,000-instance host's memory peak).
            var voters = await db.BallotVoters.AsNoTracking()
                .Where(v => v.Status == VoterStatus.Pending && !db.PersonRoles.Any(r => r.PersonId == v.PersonId && r.Role == RoleNames.CommitteeMember))
                .Where(v => db.DirectoryChanges.Any(c => c.CommunityId == v.CommunityId && c.SubjectId == v.PersonId && c.Kind == DirectoryChangeKind.RoleEnded))
                .Join(db.WorkItems.Where(w => w.Kind == WorkItemKind.Ballot && w.Status == WorkItemStatus.Open),
                    v => new { v.InstanceId, v.BookmarkId }, w => new { w.InstanceId, w.BookmarkId },
                    (v, w) => new { v.PersonId, v.CommunityId, v.InstanceId, v.BookmarkId, w.OpenedAt })
                .ToListAsync(cancellationToken);
            var changes = await RoleEndedChangesAsync(db, [.. voters.Select(v => v.PersonId).Distinct()], cancellationToken);
            foreach (var voter in voters)
            {
                // Compared in memory: SQLite cannot compare DateTimeOffset values in SQL.
                var left = changes[(voter.CommunityId, voter.PersonId)].Where(c => c.At >= voter.OpenedAt).OrderByDescending(c => c.At)
                    .Select(c => (Change: c, Ended: EndedCommittee(c.AfterJson))).FirstOrDefault(c => c.Ended is not null);
                if (left.Ended is { } leftOn)
                {
                    stranded.Add((voter.CommunityId, new Departure(voter.PersonId, leftOn, left.Change.ActorId, left.Change.Id.ToString()), voter.InstanceId, voter.BookmarkId));
                }
            }
        }

        var applied = 0;
        foreach (var (communityId, departure, instanceId, bookmarkId) in stranded)
        {
            if (await ApplyToBallotAsync(communityId, departure, instanceId, bookmarkId, VoterStatus.Pending, cancellationToken))
            {
                applied++;
            }
        }

        return applied;
    }

    /// <summary>
    /// The role-ended changes of all the candidates in one query, whatever their number (issue 18): the person ids go as
    /// one array parameter (<c>json_each</c> on SQLite, <c>= ANY</c> on PostgreSQL); the community is matched in memory.
    /// </summary>
    private static async Task<ILookup<(string CommunityId, string PersonId), DirectoryChange>> RoleEndedChangesAsync(
        WorkflowDbContext db, List<string> personIds, CancellationToken cancellationToken)
    {
        if (personIds.Count == 0)
        {
            return Array.Empty<DirectoryChange>().ToLookup(c => (c.CommunityId, c.SubjectId));
        }

        var changes = await db.DirectoryChanges.AsNoTracking()
            .Where(c => personIds.Contains(c.SubjectId) && c.Kind == DirectoryChangeKind.RoleEnded)
            .ToListAsync(cancellationToken);
        return changes.ToLookup(c => (c.CommunityId, c.SubjectId));
    }

    /// <summary>The date a role-ended change ended the committee-member role, or null for another role.</summary>
    private static DateOnly? EndedCommittee(string? afterJson)
    {
        if (afterJson is null)
        {
            return null;
        }

        using var after = JsonDocument.Parse(afterJson);
        return after.RootElement.TryGetProperty("role", out var role) && role.GetString() == RoleNames.CommitteeMember
               && after.RootElement.TryGetProperty("to", out var to) && DateOnly.TryParse(to.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var date)
            ? date
            : null;
    }
}
