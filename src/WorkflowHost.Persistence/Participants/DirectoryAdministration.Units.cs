using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Participants;

/// <summary>Resident units: add, edit, end membership; the co-building agreement is part of the unit's record.</summary>
public sealed partial class DirectoryAdministration
{
    public Task<DirectoryResult> AddUnitAsync(string actorId, string communityId, string unitId, UnitInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, scope => AddUnitIn(scope, actorId, unitId, input, cancellationToken), cancellationToken);

    private static async Task<DirectoryResult> AddUnitIn(ChangeScope scope, string actorId, string unitId, UnitInput input, CancellationToken cancellationToken)
    {
        var communityId = scope.CommunityId;
        if (NotLaterThanToday("joinedOn", input.JoinedOn, scope.Today) is { Succeeded: false } future)
        {
            return future;
        }

        if (await scope.Db.Units.AnyAsync(u => u.Id == unitId, cancellationToken))
        {
            return DirectoryResult.Conflict($"The unit id '{unitId}' is taken.");
        }

        var unit = new ResidentUnit { Id = unitId, CommunityId = communityId, NameZh = "", NameEn = "", Kind = "" };
        Apply(unit, input);
        scope.Db.Units.Add(unit);
        scope.Journal(actorId, DirectoryChangeKind.UnitAdded, unitId, null, Snapshot(unit));
        return DirectoryResult.Ok with { Version = unit.Version };
    }

    public Task<DirectoryResult> EditUnitAsync(string actorId, string communityId, string unitId, int expectedVersion, UnitInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, scope => EditUnitIn(scope, actorId, unitId, expectedVersion, input, cancellationToken), cancellationToken);

    private static async Task<DirectoryResult> EditUnitIn(ChangeScope scope, string actorId, string unitId, int expectedVersion, UnitInput input, CancellationToken cancellationToken)
    {
        var communityId = scope.CommunityId;
        var unit = await scope.Db.Units.FirstOrDefaultAsync(u => u.Id == unitId && u.CommunityId == communityId, cancellationToken);
        if (unit is null)
        {
            return DirectoryResult.NotFound($"There is no unit '{unitId}'.");
        }

        if (unit.Version != expectedVersion)
        {
            return DirectoryResult.Conflict($"The unit was changed meanwhile (version {unit.Version}, not {expectedVersion}); reload it and try again.");
        }

        if (unit.LeftOn is { } left && input.JoinedOn > left)
        {
            return DirectoryResult.Invalid("joinedOn", $"The unit left on {left:yyyy-MM-dd}; it cannot have joined after that.");
        }

        var before = Snapshot(unit);
        Apply(unit, input);
        unit.Version++;
        scope.Journal(actorId, DirectoryChangeKind.UnitEdited, unitId, before, Snapshot(unit));
        return DirectoryResult.Ok with { Version = unit.Version };
    }

    /// <summary>Ends a unit's membership on <paramref name="leftOn"/>. Its liaisons keep their history; ending twice is a conflict.</summary>
    public Task<DirectoryResult> EndUnitAsync(string actorId, string communityId, string unitId, DateOnly leftOn, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, async scope =>
        {
            var unit = await scope.Db.Units.FirstOrDefaultAsync(u => u.Id == unitId && u.CommunityId == communityId, cancellationToken);
            if (unit is null)
            {
                return DirectoryResult.NotFound($"There is no unit '{unitId}'.");
            }

            if (unit.LeftOn is { } ended)
            {
                return DirectoryResult.Conflict($"The unit's membership already ended on {ended:yyyy-MM-dd}.");
            }

            if (NotLaterThanToday("leftOn", leftOn, scope.Today) is { Succeeded: false } future)
            {
                return future;
            }

            if (unit.JoinedOn is { } joined && leftOn < joined)
            {
                return DirectoryResult.Invalid("leftOn", $"The unit joined on {joined:yyyy-MM-dd}; it cannot leave before that.");
            }

            var before = Snapshot(unit);
            unit.LeftOn = leftOn;
            unit.Version++;
            scope.Journal(actorId, DirectoryChangeKind.UnitEnded, unitId, before, Snapshot(unit));
            return DirectoryResult.Ok with { Version = unit.Version };
        }, cancellationToken);

    /// <summary>
    /// Sets (or clears) the unit's total of in-service members, the denominator of its registration rate, without the rest of
    /// an edit (units seeded before their joining date was recorded could not pass a whole edit). Journaled as an edit.
    /// </summary>
    public Task<DirectoryResult> SetInServiceMembersAsync(string actorId, string communityId, string unitId, int? total, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, async scope =>
        {
            var unit = await scope.Db.Units.FirstOrDefaultAsync(u => u.Id == unitId && u.CommunityId == communityId, cancellationToken);
            if (unit is null)
            {
                return DirectoryResult.NotFound($"There is no unit '{unitId}'.");
            }

            if (total is < 0)
            {
                return DirectoryResult.Invalid("inServiceMembers", "The number of in-service members cannot be negative.");
            }

            var before = Snapshot(unit);
            unit.InServiceMembers = total;
            unit.Version++;
            scope.Journal(actorId, DirectoryChangeKind.UnitEdited, unitId, before, Snapshot(unit));
            return DirectoryResult.Ok with { Version = unit.Version };
        }, cancellationToken);

    private static void Apply(ResidentUnit unit, UnitInput input)
    {
        unit.NameZh = input.NameZh.Trim();
        unit.NameEn = input.NameEn.Trim();
        unit.Kind = input.Kind;
        unit.JoinedOn = input.JoinedOn;
        unit.AgreementSignedOn = input.AgreementSignedOn;
        unit.AgreementText = string.IsNullOrWhiteSpace(input.AgreementText) ? null : input.AgreementText.Trim();
        unit.InServiceMembers = input.InServiceMembers;
    }

    private static object Snapshot(ResidentUnit unit) => new
    {
        unit.Id, unit.NameZh, unit.NameEn, unit.Kind, unit.JoinedOn, unit.LeftOn, unit.AgreementSignedOn, unit.AgreementText, unit.InServiceMembers, unit.Version,
    };
}
