using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Participants;

/// <summary>
/// Committee terms (届). A new term replaces the current one on its start date: members who are not re-elected leave
/// (their committee-member role ends, open ballots follow decision 109), new members join (they enter ballots opened
/// from then on, never one already open), members who stay keep their role without a break.
/// </summary>
public sealed partial class DirectoryAdministration
{
    public static string TermId(string communityId, int number) => $"term-{communityId}-{number}";

    public Task<DirectoryResult> StartTermAsync(string actorId, string communityId, TermInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, scope => StartTermIn(scope, actorId, input, cancellationToken), cancellationToken);

    private static async Task<DirectoryResult> StartTermIn(ChangeScope scope, string actorId, TermInput input, CancellationToken cancellationToken)
    {
        var communityId = scope.CommunityId;
        if (NotLaterThanToday("startsOn", input.StartsOn, scope.Today) is { Succeeded: false } future)
        {
            return future;
        }

        var current = await scope.Db.CommitteeTerms.Include(t => t.Members)
            .FirstOrDefaultAsync(t => t.CommunityId == communityId && t.EndsOn == null, cancellationToken);
        if (current is not null && (input.Number <= current.Number || input.StartsOn < current.StartsOn))
        {
            return DirectoryResult.Conflict(
                $"Term {current.Number} began on {current.StartsOn:yyyy-MM-dd}; a new term needs a higher number and a start on or after that.");
        }

        if (await scope.Db.CommitteeTerms.AnyAsync(t => t.CommunityId == communityId && t.Number == input.Number, cancellationToken))
        {
            return DirectoryResult.Conflict($"Term {input.Number} exists already.");
        }

        var ids = input.Members.Select(m => m.PersonId).ToList();
        var people = await scope.Db.People.Include(p => p.Roles)
            .Where(p => p.CommunityId == communityId && ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, StringComparer.Ordinal, cancellationToken);
        for (var i = 0; i < input.Members.Count; i++)
        {
            var member = input.Members[i];
            if (!people.TryGetValue(member.PersonId, out var person) || person.DeactivatedAt is not null)
            {
                return DirectoryResult.Invalid($"members[{i}].personId", $"There is no active person '{member.PersonId}' in this community.");
            }

            if (member.Kind == TermMemberKind.PartTime && await CheckUnitAsync(scope, member.UnitId, cancellationToken) is { Succeeded: false } badUnit)
            {
                return badUnit with { Field = $"members[{i}].unitId" };
            }
        }

        var term = new CommitteeTerm { Id = TermId(communityId, input.Number), CommunityId = communityId, Number = input.Number, StartsOn = input.StartsOn };
        term.Members.AddRange(input.Members.Select(m => new CommitteeTermMember
        {
            TermId = term.Id, PersonId = m.PersonId, Kind = m.Kind, UnitId = m.Kind == TermMemberKind.PartTime ? m.UnitId : null, JoinedOn = input.StartsOn,
        }));
        scope.Db.CommitteeTerms.Add(term);

        if (current is not null)
        {
            current.EndsOn = input.StartsOn;
            foreach (var staying in current.Members.Where(m => m.LeftOn is null))
            {
                staying.LeftOn = input.StartsOn;
            }
        }

        scope.Journal(actorId, DirectoryChangeKind.TermStarted, term.Id,
            current is null ? null : new { current.Id, current.Number, current.StartsOn, members = current.Members.Select(m => m.PersonId).Order(StringComparer.Ordinal) },
            new { term.Id, term.Number, term.StartsOn, members = input.Members });

        // Leaving: committee members of this community who are not in the new term.
        var leaving = await scope.Db.People.Include(p => p.Roles)
            .Where(p => p.CommunityId == communityId && p.Roles.Any(r => r.Role == RoleNames.CommitteeMember) && !ids.Contains(p.Id))
            .ToListAsync(cancellationToken);
        foreach (var person in leaving)
        {
            await EndRoleRowAsync(scope, actorId, person, person.Roles.First(r => r.Role == RoleNames.CommitteeMember), input.StartsOn, cancellationToken);
            person.Version++;
        }

        foreach (var person in people.Values.Where(p => !p.Roles.Exists(r => r.Role == RoleNames.CommitteeMember)))
        {
            GrantRoleRow(scope, person, RoleNames.CommitteeMember, input.StartsOn);
            person.Version++;
            scope.Journal(actorId, DirectoryChangeKind.RoleGranted, person.Id, null, new { role = RoleNames.CommitteeMember, from = input.StartsOn });
        }

        return DirectoryResult.Ok;
    }

    /// <summary>A member joining between elections (增补) joins the current term; there must be one.</summary>
    private static async Task<DirectoryResult> JoinCurrentTermAsync(ChangeScope scope, Person person, DateOnly from, CancellationToken cancellationToken)
    {
        var current = await scope.Db.CommitteeTerms.FirstOrDefaultAsync(t => t.CommunityId == scope.CommunityId && t.EndsOn == null, cancellationToken);
        if (current is null)
        {
            return DirectoryResult.Conflict("There is no current committee term to join; start a term with its members.");
        }

        if (from < current.StartsOn)
        {
            return DirectoryResult.Invalid("from", $"The current term began on {current.StartsOn:yyyy-MM-dd}.");
        }

        var again = await scope.Db.CommitteeTermMembers.FirstOrDefaultAsync(m => m.TermId == current.Id && m.PersonId == person.Id, cancellationToken);
        if (again is not null)
        {
            return DirectoryResult.Conflict("The person already served in the current term; a term keeps one membership per person.");
        }

        scope.Db.CommitteeTermMembers.Add(new CommitteeTermMember
        {
            TermId = current.Id, PersonId = person.Id, JoinedOn = from,
            Kind = person.UnitId is null ? TermMemberKind.FullTime : TermMemberKind.PartTime, UnitId = person.UnitId,
        });
        return DirectoryResult.Ok;
    }
}
