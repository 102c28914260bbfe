using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;

using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>One instance as the unit that started it sees it in its list (e.g. all its consultations and their state).</summary>
public sealed record UnitInstanceSummary(
    Guid InstanceId,
    string DefinitionId,
    string Status,
    string? Result,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string InitiatorId,
    JsonObject Input,
    IReadOnlyList<string> WaitingAt,
    IReadOnlyList<string> DocumentNumbers,
    bool Flagged);

/// <summary>A unit's pledges of one kind of resource.</summary>
public sealed record PledgeCount(int Made, int Fulfilled);

/// <summary>The processes a unit started, by definition: how many, and how many ended with each result (running ones under <c>running</c>).</summary>
public sealed record ProcessCount(string DefinitionId, int Total, IReadOnlyDictionary<string, int> ByResult);

/// <summary>
/// A unit's co-building record (共驻共建): activities it led and co-organised, the pledges it made and fulfilled (by resource),
/// and the consultations and other processes it started.
/// </summary>
public sealed record CoBuildingRecord(
    string UnitId,
    int ActivitiesLed,
    int ActivitiesCoOrganised,
    int PledgesMade,
    int PledgesFulfilled,
    IReadOnlyDictionary<string, PledgeCount> PledgesByResource,
    IReadOnlyList<ProcessCount> Processes,
    IReadOnlyList<CoBuildingEntry> Entries);

/// <summary>
/// What the scenarios read back of the processes' rows: comments, a unit's instances, co-building records, facilities and
/// their reservations. Test support only: the host reads none of these yet (the workbench and ledger issue will add its
/// own read side; docs/persistence.md).
/// </summary>
public sealed class ProcessQueries(IDbContextFactory<WorkflowDbContext> contextFactory)
{
    public async Task<IReadOnlyList<InstanceComment>> CommentsAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var comments = await db.Set<InstanceComment>().AsNoTracking().Where(c => c.InstanceId == instanceId).ToListAsync(cancellationToken);
        return [.. comments.OrderBy(c => c.CreatedAt).ThenBy(c => c.CommentId.Length).ThenBy(c => c.CommentId, StringComparer.Ordinal)];
    }

    /// <summary>Every instance a unit started (optionally of one process), newest first, with where it waits and the numbers it issued.</summary>
    public async Task<IReadOnlyList<UnitInstanceSummary>> InstancesOfUnitAsync(string communityId, string unitId, string? definitionId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Instances.AsNoTracking()
            .Where(i => i.CommunityId == communityId && i.UnitId == unitId && (definitionId == null || i.DefinitionId == definitionId))
            .OrderByDescending(i => i.CreatedAt)
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var documents = await db.Set<IssuedDocument>().AsNoTracking().Where(d => ids.Contains(d.InstanceId))
            .Select(d => new { d.InstanceId, d.Number, d.IssuedAt }).ToListAsync(cancellationToken);
        return [.. rows.Select(row =>
        {
            var state = JsonSerializer.Deserialize<InstanceState>(row.StateJson, EngineJson.Options)!;
            var flagged = state.Variables.Any(v => v.Value?["flagged"] is JsonValue f && f.GetValueKind() == JsonValueKind.True);
            return new UnitInstanceSummary(
                row.Id, row.DefinitionId, row.Status, row.Result, row.CreatedAt, row.EndedAt, row.InitiatorId, state.Input,
                [.. state.Bookmarks.Select(b => b.ActivityId).Distinct(StringComparer.Ordinal)],
                [.. documents.Where(d => d.InstanceId == row.Id).OrderBy(d => d.IssuedAt).Select(d => d.Number)],
                flagged);
        })];
    }

    public async Task<CoBuildingRecord> CoBuildingRecordAsync(string communityId, string unitId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var entries = await db.Set<CoBuildingEntry>().AsNoTracking()
            .Where(e => e.CommunityId == communityId && e.UnitId == unitId)
            .ToListAsync(cancellationToken);
        entries = [.. entries.OrderBy(e => e.Date).ThenBy(e => e.RecordedAt)];
        var pledges = entries.Where(e => e.Kind == CoBuildingKind.Pledge).ToList();
        var led = entries.Where(e => e.Kind == CoBuildingKind.Lead).Select(e => e.InstanceId).ToHashSet();
        var processes = await db.Instances.AsNoTracking()
            .Where(i => i.CommunityId == communityId && i.UnitId == unitId)
            .GroupBy(i => new { i.DefinitionId, i.Status, i.Result })
            .Select(g => new { g.Key.DefinitionId, g.Key.Status, g.Key.Result, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return new CoBuildingRecord(
            unitId,
            led.Count,
            pledges.Select(p => p.InstanceId).Where(i => !led.Contains(i)).Distinct().Count(),
            pledges.Count,
            pledges.Count(p => p.Fulfilled == true),
            pledges.GroupBy(p => p.Resource ?? "other").OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new PledgeCount(g.Count(), g.Count(p => p.Fulfilled == true))),
            [.. processes.GroupBy(p => p.DefinitionId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ProcessCount(
                g.Key,
                g.Sum(p => p.Count),
                g.GroupBy(p => p.Status == InstanceRowStatus.Running ? InstanceRowStatus.Running : p.Result ?? p.Status)
                    .ToDictionary(r => r.Key, r => r.Sum(p => p.Count))))],
            entries);
    }

    public async Task<IReadOnlyList<Facility>> FacilitiesAsync(string communityId, string? ownerUnitId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Facility>().AsNoTracking()
            .Where(f => f.CommunityId == communityId && (ownerUnitId == null || f.OwnerUnitId == ownerUnitId))
            .OrderBy(f => f.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The active reservations of a facility, in time order: when it is taken.</summary>
    public async Task<IReadOnlyList<FacilityReservation>> ReservationsAsync(string facilityId, bool activeOnly = true, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<FacilityReservation>().AsNoTracking()
            .Where(r => r.FacilityId == facilityId && (!activeOnly || r.Status == ReservationStatus.Active))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.StartsAt)];
    }

    /// <summary>An in-service member's community participation, newest first.</summary>
    public async Task<IReadOnlyList<CommunityParticipation>> ParticipationAsync(string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<CommunityParticipation>().AsNoTracking().Where(p => p.PersonId == personId).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(p => p.Date).ThenBy(p => p.Title, StringComparer.Ordinal)];
    }
}
