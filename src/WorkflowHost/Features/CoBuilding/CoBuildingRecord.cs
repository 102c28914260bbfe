using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.CoBuilding;

/// <summary>A unit's cases with the committee, per process: how many, still open, and how they ended.</summary>
public sealed record CaseCount(string Process, LocalizedText? ProcessName, int Total, int Running, IReadOnlyDictionary<string, int> Results);

/// <summary>One unit's co-building record (共驻共建): its cases with the committee and what it led and pledged.</summary>
public sealed record UnitRecord(string UnitId, string CommunityId, LocalizedText Name, IReadOnlyList<CaseCount> Cases, IReadOnlyList<CoBuildingEntry> Entries)
{
    public int Led => Entries.Count(e => e.Kind == CoBuildingKind.Lead);

    public int Pledged => Entries.Count(e => e.Kind == CoBuildingKind.Pledge);

    public int Fulfilled => Entries.Count(e => e.Kind == CoBuildingKind.Pledge && e.Fulfilled == true);
}

/// <summary>A line of the committee's list of units.</summary>
public sealed record UnitSummary(string UnitId, string CommunityId, LocalizedText Name, int Cases, int Led, int Pledged, int Fulfilled);

/// <summary>
/// Reads co-building records. The committee side (<see cref="LedgerReader.MayRead"/>) sees the units of its community, a
/// street committee those of every community of its street; a unit's liaison sees their own unit's. Cases are counted
/// through <see cref="Access.VisibleTo"/>, so the record never counts a case its reader could not open.
/// </summary>
public sealed class CoBuildingRecord(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog)
{
    public static IReadOnlyList<string> CommunitiesOf(Caller caller) => [.. caller.OverseenCommunities.Append(caller.CommunityId).Distinct()];

    public static bool MayRead(Caller caller, ResidentUnit unit) =>
        caller.LiaisonOfUnit == unit.Id || (LedgerReader.MayRead(caller) && CommunitiesOf(caller).Contains(unit.CommunityId));

    public async Task<IReadOnlyList<UnitSummary>> UnitsAsync(Caller caller, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var communities = CommunitiesOf(caller);
        var units = await db.Units.AsNoTracking().Where(u => communities.Contains(u.CommunityId)).OrderBy(u => u.CommunityId).ThenBy(u => u.Id).ToListAsync(cancellationToken);
        var cases = await db.Instances.AsNoTracking().VisibleTo(db, caller).Where(i => i.UnitId != null)
            .GroupBy(i => i.UnitId!).Select(g => new { Unit = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Unit, g => g.Count, cancellationToken);
        var entries = await db.Set<CoBuildingEntry>().AsNoTracking().Where(e => communities.Contains(e.CommunityId))
            .GroupBy(e => new { e.UnitId, e.Kind, e.Fulfilled }).Select(g => new { g.Key.UnitId, g.Key.Kind, g.Key.Fulfilled, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. units.Select(u => new UnitSummary(u.Id, u.CommunityId, LocalizedText.Of(u.NameZh, u.NameEn), cases.GetValueOrDefault(u.Id),
            entries.Where(e => e.UnitId == u.Id && e.Kind == CoBuildingKind.Lead).Sum(e => e.Count),
            entries.Where(e => e.UnitId == u.Id && e.Kind == CoBuildingKind.Pledge).Sum(e => e.Count),
            entries.Where(e => e.UnitId == u.Id && e.Kind == CoBuildingKind.Pledge && e.Fulfilled == true).Sum(e => e.Count)))];
    }

    /// <summary>The unit's record, or null when there is no such unit or the caller may not read it (answered alike: 404).</summary>
    public async Task<UnitRecord?> UnitAsync(Caller caller, string unitId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, cancellationToken);
        if (unit is null || !MayRead(caller, unit))
        {
            return null;
        }

        var counts = await db.Instances.AsNoTracking().VisibleTo(db, caller).Where(i => i.UnitId == unit.Id && i.CommunityId == unit.CommunityId)
            .GroupBy(i => new { i.DefinitionId, i.Status, i.Result }).Select(g => new { g.Key.DefinitionId, g.Key.Status, g.Key.Result, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var cases = counts.GroupBy(c => c.DefinitionId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new CaseCount(
            g.Key, catalog.Current(g.Key)?.Name, g.Sum(c => c.Count), g.Where(c => c.Status == InstanceRowStatus.Running).Sum(c => c.Count),
            g.Where(c => c.Status == InstanceRowStatus.Completed && c.Result is not null).GroupBy(c => c.Result!)
                .ToDictionary(r => r.Key, r => r.Sum(c => c.Count), StringComparer.Ordinal))).ToList();
        var entries = await db.Set<CoBuildingEntry>().AsNoTracking().Where(e => e.UnitId == unit.Id && e.CommunityId == unit.CommunityId)
            .OrderByDescending(e => e.Date).ThenBy(e => e.Title).ToListAsync(cancellationToken);
        return new UnitRecord(unit.Id, unit.CommunityId, LocalizedText.Of(unit.NameZh, unit.NameEn), cases, entries);
    }
}
