using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Persistence.Participants;

/// <summary>People: add, edit, deactivate; roles with their dates. A unit liaison belongs to one unit of the community.</summary>
public sealed partial class DirectoryAdministration
{
    public Task<DirectoryResult> AddPersonAsync(string actorId, string communityId, string personId, PersonInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, scope => AddPersonIn(scope, actorId, personId, input, cancellationToken), cancellationToken);

    private static async Task<DirectoryResult> AddPersonIn(ChangeScope scope, string actorId, string personId, PersonInput input, CancellationToken cancellationToken)
    {
        var communityId = scope.CommunityId;
        if (await scope.Db.People.AnyAsync(p => p.Id == personId, cancellationToken))
        {
            return DirectoryResult.Conflict($"The person id '{personId}' is taken.");
        }

        if (await CheckUnitAsync(scope, input.UnitId, cancellationToken) is { Succeeded: false } badUnit)
        {
            return badUnit;
        }

        var person = new Person { Id = personId, CommunityId = communityId, NameZh = "", NameEn = "" };
        Apply(person, input);
        scope.Db.People.Add(person);
        scope.Journal(actorId, DirectoryChangeKind.PersonAdded, personId, null, Snapshot(person, []));
        return DirectoryResult.Ok with { Version = person.Version };
    }

    public Task<DirectoryResult> EditPersonAsync(string actorId, string communityId, string personId, int expectedVersion, PersonInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, scope => EditPersonIn(scope, actorId, personId, expectedVersion, input, cancellationToken), cancellationToken);

    private static async Task<DirectoryResult> EditPersonIn(ChangeScope scope, string actorId, string personId, int expectedVersion, PersonInput input, CancellationToken cancellationToken)
    {
        var person = await FindPersonAsync(scope, personId, cancellationToken);
        if (person is null)
        {
            return DirectoryResult.NotFound($"There is no person '{personId}'.");
        }

        if (person.Version != expectedVersion)
        {
            return DirectoryResult.Conflict($"The person was changed meanwhile (version {person.Version}, not {expectedVersion}); reload and try again.");
        }

        if (person.DeactivatedAt is not null)
        {
            return DirectoryResult.Conflict("The person is deactivated; their record is kept as it was.");
        }

        if (await CheckUnitAsync(scope, input.UnitId, cancellationToken) is { Succeeded: false } badUnit)
        {
            return badUnit;
        }

        var roles = RolesOf(person);
        if (input.UnitId is null && roles.Contains(RoleNames.UnitLiaison))
        {
            return DirectoryResult.Invalid("unitId", "A unit liaison belongs to a unit; end the liaison role first.");
        }

        var before = Snapshot(person, roles);
        var previousUnit = person.UnitId;
        Apply(person, input);
        person.Version++;
        var change = scope.Journal(actorId, DirectoryChangeKind.PersonEdited, personId, before, Snapshot(person, roles));
        if (roles.Contains(RoleNames.UnitLiaison) && previousUnit != person.UnitId)
        {
            // A liaison moved to another unit: the old unit's letters are no longer theirs, the new unit's now are (decision 152).
            await LiaisonChangedAsync(scope, personId, previousUnit, person.UnitId, change, cancellationToken);
        }

        return DirectoryResult.Ok with { Version = person.Version };
    }

    /// <summary>
    /// Deactivates a person: every role ends, committee membership included (open ballots follow decision 109), the account
    /// is deactivated with a new security stamp so every session ends, deliveries still waiting for them are suppressed
    /// (decision 156), and the record stays for the history.
    /// </summary>
    public Task<DirectoryResult> DeactivatePersonAsync(string actorId, string communityId, string personId, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, async scope =>
        {
            var person = await FindPersonAsync(scope, personId, cancellationToken);
            if (person is null)
            {
                return DirectoryResult.NotFound($"There is no person '{personId}'.");
            }

            if (person.DeactivatedAt is not null)
            {
                return DirectoryResult.Conflict($"The person was already deactivated on {person.DeactivatedAt:yyyy-MM-dd}.");
            }

            if (personId == actorId)
            {
                return DirectoryResult.Conflict("You cannot deactivate yourself.");
            }

            var before = Snapshot(person, RolesOf(person));
            foreach (var role in person.Roles.ToList())
            {
                await EndRoleRowAsync(scope, actorId, person, role, scope.Today, cancellationToken);
            }

            person.DeactivatedAt = scope.Now;
            person.Version++;

            // They cannot sign in any more, so nothing waiting to be sent to them is any use (decision 156). Their open
            // ballot seats follow the departure (decision 109); reminders of those are among what goes here.
            await InactiveRecipientNotices.SuppressPendingAsync(scope.Db, personId, cancellationToken);
            await scope.Db.Accounts.Where(a => a.PersonId == personId).ExecuteUpdateAsync(
                s => s.SetProperty(a => a.DeactivatedAt, scope.Now).SetProperty(a => a.SecurityStamp, Guid.NewGuid().ToString("N")),
                cancellationToken);
            scope.Journal(actorId, DirectoryChangeKind.PersonDeactivated, personId, before, Snapshot(person, []));
            return DirectoryResult.Ok with { Version = person.Version };
        }, cancellationToken);

    /// <summary>Grants a role from <paramref name="from"/>. <c>committee-member</c> also adds the person to the current term.</summary>
    public Task<DirectoryResult> GrantRoleAsync(string actorId, string communityId, string personId, string role, DateOnly from, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, scope => GrantRoleIn(scope, actorId, personId, role, from, cancellationToken), cancellationToken);

    private static async Task<DirectoryResult> GrantRoleIn(ChangeScope scope, string actorId, string personId, string role, DateOnly from, CancellationToken cancellationToken)
    {
        var person = await FindPersonAsync(scope, personId, cancellationToken);
        if (person is null)
        {
            return DirectoryResult.NotFound($"There is no person '{personId}'.");
        }

        if (person.DeactivatedAt is not null)
        {
            return DirectoryResult.Conflict("The person is deactivated and takes no role.");
        }

        if (person.Roles.Exists(r => r.Role == role))
        {
            return DirectoryResult.Conflict($"'{personId}' already holds the role '{role}'.");
        }

        if (NotLaterThanToday("from", from, scope.Today) is { Succeeded: false } future)
        {
            return future;
        }

        if (role == RoleNames.UnitLiaison && person.UnitId is null)
        {
            return DirectoryResult.Invalid("role", "A unit liaison belongs to a unit: give the person a unit first.");
        }

        if (role == RoleNames.CommitteeMember && await JoinCurrentTermAsync(scope, person, from, cancellationToken) is { Succeeded: false } noTerm)
        {
            return noTerm;
        }

        GrantRoleRow(scope, person, role, from);
        person.Version++;
        var change = scope.Journal(actorId, DirectoryChangeKind.RoleGranted, personId, null, new { role, from });
        if (role == RoleNames.UnitLiaison)
        {
            await LiaisonChangedAsync(scope, personId, null, person.UnitId, change, cancellationToken);
        }

        return DirectoryResult.Ok with { Version = person.Version };
    }

    /// <summary>Ends a role on <paramref name="to"/>; ending <c>committee-member</c> is leaving the committee (decision 109).</summary>
    public Task<DirectoryResult> EndRoleAsync(string actorId, string communityId, string personId, string role, DateOnly to, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, async scope =>
        {
            var person = await FindPersonAsync(scope, personId, cancellationToken);
            if (person is null)
            {
                return DirectoryResult.NotFound($"There is no person '{personId}'.");
            }

            var held = person.Roles.Find(r => r.Role == role);
            if (held is null)
            {
                return DirectoryResult.Conflict($"'{personId}' does not hold the role '{role}' (any more).");
            }

            if (NotLaterThanToday("to", to, scope.Today) is { Succeeded: false } future)
            {
                return future;
            }

            var period = await scope.Db.RolePeriods.Where(p => p.PersonId == personId && p.Role == role && p.To == null).FirstOrDefaultAsync(cancellationToken);
            if (period is not null && to < period.From)
            {
                return DirectoryResult.Invalid("to", $"The role began on {period.From:yyyy-MM-dd}; it cannot end before that.");
            }

            await EndRoleRowAsync(scope, actorId, person, held, to, cancellationToken);
            person.Version++;
            return DirectoryResult.Ok with { Version = person.Version };
        }, cancellationToken);

    private static void GrantRoleRow(ChangeScope scope, Person person, string role, DateOnly from)
    {
        person.Roles.Add(new PersonRole { PersonId = person.Id, Role = role });
        scope.Db.RolePeriods.Add(new RolePeriod { Id = Guid.CreateVersion7(scope.Now), CommunityId = scope.CommunityId, PersonId = person.Id, Role = role, From = from });
    }

    /// <summary>Removes a current role, closes its period and, for a committee member, the term membership (a departure).</summary>
    private static async Task EndRoleRowAsync(ChangeScope scope, string actorId, Person person, PersonRole role, DateOnly to, CancellationToken cancellationToken)
    {
        person.Roles.Remove(role);
        scope.Db.PersonRoles.Remove(role);
        var period = await scope.Db.RolePeriods.Where(p => p.PersonId == person.Id && p.Role == role.Role && p.To == null).FirstOrDefaultAsync(cancellationToken);
        var from = period?.From;
        if (period is not null)
        {
            period.To = to;
        }
        else
        {
            // A role seeded before periods were kept: its history starts with its end.
            scope.Db.RolePeriods.Add(new RolePeriod { Id = Guid.CreateVersion7(scope.Now), CommunityId = scope.CommunityId, PersonId = person.Id, Role = role.Role, From = to, To = to });
        }

        var change = scope.Journal(actorId, DirectoryChangeKind.RoleEnded, person.Id, new { role = role.Role, from }, new { role = role.Role, from, to });
        if (role.Role == RoleNames.UnitLiaison)
        {
            await LiaisonChangedAsync(scope, person.Id, person.UnitId, null, change, cancellationToken);
        }

        if (role.Role == RoleNames.CommitteeMember)
        {
            var membership = await scope.Db.CommitteeTermMembers
                .Where(m => m.PersonId == person.Id && m.LeftOn == null)
                .Join(scope.Db.CommitteeTerms.Where(t => t.CommunityId == scope.CommunityId && t.EndsOn == null), m => m.TermId, t => t.Id, (m, _) => m)
                .FirstOrDefaultAsync(cancellationToken);
            if (membership is not null)
            {
                membership.LeftOn = to;
            }

            scope.Departures.Add(new Departure(person.Id, to, actorId, change.ToString()));
        }
    }

    /// <summary>
    /// A person stopped being liaison of <paramref name="left"/> and/or became liaison of <paramref name="joined"/>, by the
    /// directory change <paramref name="changeId"/>: the feedback letters' notices follow (decision 152), in this transaction.
    /// </summary>
    private static async Task LiaisonChangedAsync(ChangeScope scope, string personId, string? left, string? joined, Guid changeId, CancellationToken cancellationToken)
    {
        if (left is not null)
        {
            await LiaisonLetterNotices.SuppressPendingAsync(scope.Db, scope.CommunityId, personId, left, cancellationToken);
        }

        if (joined is not null)
        {
            await LiaisonLetterNotices.AddAsync(scope.Db, scope.CommunityId, personId, joined, changeId, scope.Now, cancellationToken);
        }
    }

    private static async Task<Person?> FindPersonAsync(ChangeScope scope, string personId, CancellationToken cancellationToken) =>
        await scope.Db.People.Include(p => p.Roles).FirstOrDefaultAsync(p => p.Id == personId && p.CommunityId == scope.CommunityId, cancellationToken);

    /// <summary>The unit must be one of this community's, and still a member: a liaison belongs to one current unit.</summary>
    private static async Task<DirectoryResult> CheckUnitAsync(ChangeScope scope, string? unitId, CancellationToken cancellationToken)
    {
        if (unitId is null)
        {
            return DirectoryResult.Ok;
        }

        var unit = await scope.Db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId && u.CommunityId == scope.CommunityId, cancellationToken);
        return unit switch
        {
            null => DirectoryResult.Invalid("unitId", $"There is no unit '{unitId}' in this community."),
            { LeftOn: { } left } => DirectoryResult.Invalid("unitId", $"The unit's membership ended on {left:yyyy-MM-dd}."),
            _ => DirectoryResult.Ok,
        };
    }

    private static List<string> RolesOf(Person person) => [.. person.Roles.Select(r => r.Role).Order(StringComparer.Ordinal)];

    private static void Apply(Person person, PersonInput input)
    {
        person.NameZh = input.NameZh.Trim();
        person.NameEn = input.NameEn.Trim();
        person.UnitId = input.UnitId;
        person.TitleZh = Blank(input.TitleZh);
        person.TitleEn = Blank(input.TitleEn);
        person.Email = Blank(input.Email);
        person.Phone = Blank(input.Phone);
        person.Language = input.Language;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static object Snapshot(Person person, IReadOnlyList<string> roles) => new
    {
        person.Id, person.NameZh, person.NameEn, person.UnitId, person.TitleZh, person.TitleEn, person.Email, person.Language,
        person.DeactivatedAt, roles, person.Version,
    };
}
