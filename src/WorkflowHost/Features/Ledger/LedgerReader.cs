using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Ledger;

/// <summary>
/// The ledger (台账): every case the caller may see (<see cref="Access.VisibleTo"/>: a secretary and the office their
/// community, a street committee every community of its street), filtered and counted by the database, one page read.
/// </summary>
public sealed class LedgerReader(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog)
{
    /// <summary>More rows than this in one export are refused: narrow the filters (a year, a unit) instead.</summary>
    public const int MaxExportRows = 10_000;

    private const int ExportBatch = 200;

    /// <summary>Who keeps the ledger: the secretary, the office and the street committee.</summary>
    public static bool MayRead(Caller caller) =>
        caller.Has(RoleNames.Secretary) || caller.Has(RoleNames.Office) || caller.Has(RoleNames.StreetCommittee);

    internal async Task<LedgerPage> PageAsync(Caller caller, LedgerFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, caller, filter);
        var total = await query.CountAsync(cancellationToken);
        var rows = await RowsAsync(db, caller, Newest(query).Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize), filter.Now, cancellationToken);
        return new LedgerPage(rows, filter.Page, filter.PageSize, total);
    }

    /// <summary>Every row of the filtered list, for an export, read in batches; null when there are more than <see cref="MaxExportRows"/>.</summary>
    internal async Task<IReadOnlyList<LedgerRow>?> AllAsync(Caller caller, LedgerFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, caller, filter);
        if (await query.CountAsync(cancellationToken) > MaxExportRows)
        {
            return null;
        }

        var all = new List<LedgerRow>();
        for (var skip = 0; ; skip += ExportBatch)
        {
            var batch = await RowsAsync(db, caller, Newest(query).Skip(skip).Take(ExportBatch), filter.Now, cancellationToken);
            all.AddRange(batch);
            if (batch.Count < ExportBatch)
            {
                return all;
            }
        }
    }

    internal static IQueryable<WorkflowInstance> Filtered(WorkflowDbContext db, Caller caller, LedgerFilter filter)
    {
        var query = filter.Kind is { } kind ? InputSql.WhereKindIs(db, kind) : db.Instances;
        query = query.AsNoTracking().VisibleTo(db, caller);
        if (filter.Text is { } text)
        {
            var bySubject = InputSql.WhereSubjectContains(db, text).Select(i => i.Id);
            query = query.Where(i => bySubject.Contains(i.Id) || db.IssuedNumbers.Any(n => n.InstanceId == i.Id && n.Number.Contains(text)));
        }

        if (filter.Process is { } process)
        {
            query = query.Where(i => i.DefinitionId == process);
        }

        if (filter.State is { } state)
        {
            query = query.Where(i => i.Status == state);
        }

        if (filter.Unit is { } unit)
        {
            query = query.Where(i => i.UnitId == unit);
        }

        if (filter.StartedFrom is { } from)
        {
            query = query.Where(i => i.CreatedAt >= from);
        }

        if (filter.StartedBefore is { } before)
        {
            query = query.Where(i => i.CreatedAt < before);
        }

        if (filter.Member is { } member)
        {
            query = query.Where(i => db.BallotVoters.Any(v => v.InstanceId == i.Id && v.PersonId == member));
        }

        if (filter.Step is { } step)
        {
            query = query.Where(i => db.WorkItems.Any(w => w.InstanceId == i.Id && w.Status == WorkItemStatus.Open && w.ActivityId == step));
        }

        if (filter.Overdue is { } overdue)
        {
            var now = filter.Now;
            query = overdue
                ? query.Where(i => db.WorkItems.Any(w => w.InstanceId == i.Id && w.Status == WorkItemStatus.Open && w.DueAt < now))
                : query.Where(i => !db.WorkItems.Any(w => w.InstanceId == i.Id && w.Status == WorkItemStatus.Open && w.DueAt < now));
        }

        return query;
    }

    private static IQueryable<WorkflowInstance> Newest(IQueryable<WorkflowInstance> query) => query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id);

    /// <summary>The rows of one page: the instances, then their open steps, reply numbers and names in three more queries.</summary>
    private async Task<List<LedgerRow>> RowsAsync(WorkflowDbContext db, Caller caller, IQueryable<WorkflowInstance> page, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await page.Select(i => new { i.Id, i.DefinitionId, i.CommunityId, i.UnitId, i.Status, i.Result, i.CreatedAt, i.EndedAt, i.StateJson })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var open = (await db.WorkItems.AsNoTracking().Where(w => ids.Contains(w.InstanceId) && w.Status == WorkItemStatus.Open)
            .Select(w => new { w.InstanceId, w.ActivityId, w.DueAt, w.BookmarkId }).ToListAsync(cancellationToken))
            .ToLookup(w => w.InstanceId);
        var numbers = (await db.IssuedNumbers.AsNoTracking().Where(n => ids.Contains(n.InstanceId)).Select(n => new { n.InstanceId, n.Number, n.IssuedAt })
            .ToListAsync(cancellationToken)).ToLookup(n => n.InstanceId);
        var communityIds = rows.Select(r => r.CommunityId).Distinct().ToList();
        var names = await InstanceReader.NamesAsync(db, caller.CommunityId, caller, cancellationToken, communityIds);
        var english = LocalizedText.IsEnglish(caller.Language);
        var communities = await db.Communities.AsNoTracking().Where(c => communityIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => english ? c.NameEn : c.NameZh, cancellationToken);

        return [.. rows.Select(r =>
        {
            var definition = catalog.Current(r.DefinitionId);
            var input = Input(r.StateJson);
            var kind = Text(input?["kind"]);
            var steps = open[r.Id].OrderBy(w => InstanceReader.Sequence(w.BookmarkId))
                .Select(w => new LedgerStep(w.ActivityId, definition?.FindActivity(w.ActivityId)?.Name, w.DueAt, w.DueAt is { } due && due < now)).ToList();
            return new LedgerRow(
                r.Id, r.DefinitionId, definition?.Name, Text(input?["nomineeName"]) ?? Text(input?["title"]), kind,
                kind is null ? null : definition?.Inputs.FirstOrDefault(f => f.Name == "kind")?.Options.FirstOrDefault(o => o.Value == kind)?.Label,
                r.CommunityId, communities.GetValueOrDefault(r.CommunityId),
                r.UnitId is null ? null : new UnitRef(r.UnitId, names.Units.GetValueOrDefault(r.UnitId)),
                r.Status, r.Result, r.CreatedAt, r.EndedAt,
                [.. numbers[r.Id].OrderBy(n => n.IssuedAt).Select(n => n.Number)], steps, steps.Any(s => s.Overdue), $"/api/instances/{r.Id}");
        })];
    }

    /// <summary>Only the case's input is read from the state: what the unit submitted, never a ballot's details.</summary>
    private static JsonObject? Input(string stateJson) => JsonNode.Parse(stateJson)?["input"] as JsonObject;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
