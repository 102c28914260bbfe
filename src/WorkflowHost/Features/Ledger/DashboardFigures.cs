using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Web;

namespace WorkflowHost.Features.Ledger;

/// <summary>One bar of a dashboard figure: what it is, its size, the value as written, and the ledger filtered to what it counts.</summary>
public sealed record Figure(string Label, double Value, string Text, string Href);

/// <summary>
/// The dashboard's figures, each counted over the instances the caller may see (<see cref="Access.VisibleTo"/>) and each
/// bar linking to the ledger filtered to the cases it counts, so a figure can always be checked against its cases.
/// </summary>
public sealed class DashboardFigures(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog, TimeProvider time)
{
    public const string Consultation = "promotion-consultation";

    public sealed record Result(
        int Open, int Overdue, IReadOnlyList<Figure> ByMonth, IReadOnlyList<Figure> PerMember, IReadOnlyList<Figure> PerUnit,
        IReadOnlyList<Figure> ConsentByKind, IReadOnlyList<Figure> Participation, IReadOnlyList<Figure> OverdueBySteps);

    public async Task<Result> ReadAsync(Caller caller, Texts t, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var visible = db.Instances.AsNoTracking().VisibleTo(db, caller);
        var ids = visible.Select(i => i.Id);
        var openItems = db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open && ids.Contains(w.InstanceId));
        var open = await openItems.CountAsync(cancellationToken);
        var overdue = await openItems.CountAsync(w => w.DueAt < now, cancellationToken);

        var instances = await visible.Select(i => new { i.CreatedAt, i.EndedAt, i.UnitId, i.CommunityId }).ToListAsync(cancellationToken);
        var names = await InstanceReader.NamesAsync(db, caller.CommunityId, caller, cancellationToken,
            [.. instances.Select(i => i.CommunityId).Append(caller.CommunityId).Distinct()]);
        var byMonth = instances.GroupBy(i => TimeZoneInfo.ConvertTime(i.CreatedAt, zone).ToString("yyyy-MM", CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key).TakeLast(12)
            .Select(g => new Figure(g.Key, g.Count(), g.Count().ToString(CultureInfo.InvariantCulture), $"/ledger?month={g.Key}")).ToList();
        var perUnit = instances.Where(i => i.EndedAt is not null && i.UnitId is not null).GroupBy(i => i.UnitId!)
            .Select(g => (Unit: g.Key, Hours: g.Average(i => (i.EndedAt!.Value - i.CreatedAt).TotalHours)))
            .OrderByDescending(r => r.Hours)
            .Select(r => new Figure(names.Units.GetValueOrDefault(r.Unit) ?? r.Unit, r.Hours, t.Duration(TimeSpan.FromHours(r.Hours)), $"/ledger?unit={Uri.EscapeDataString(r.Unit)}&state=completed"))
            .ToList();

        var votes = await db.BallotVoters.AsNoTracking()
            .Where(v => v.Status == VoterStatus.Voted && v.RespondedAt != null && ids.Contains(v.InstanceId))
            .Join(db.WorkItems, v => new { v.InstanceId, v.BookmarkId }, w => new { w.InstanceId, w.BookmarkId }, (v, w) => new { v.PersonId, v.RespondedAt, w.OpenedAt })
            .ToListAsync(cancellationToken);
        var perMember = votes.GroupBy(v => v.PersonId)
            .Select(g => (Person: g.Key, Hours: g.Average(v => (v.RespondedAt!.Value - v.OpenedAt).TotalHours)))
            .OrderByDescending(r => r.Hours)
            .Select(r => new Figure(names.People.GetValueOrDefault(r.Person) ?? r.Person, r.Hours, t.Duration(TimeSpan.FromHours(r.Hours)), $"/ledger?member={Uri.EscapeDataString(r.Person)}"))
            .ToList();

        // Participation on closed ballots only: an open ballot's non-voters may still vote. Recused members were not eligible.
        var participation = (await db.BallotVoters.AsNoTracking().Where(v => ids.Contains(v.InstanceId) && v.Status != VoterStatus.Recused)
                .Where(v => db.WorkItems.Any(w => w.InstanceId == v.InstanceId && w.BookmarkId == v.BookmarkId && w.Status == WorkItemStatus.Closed))
                .GroupBy(v => v.PersonId)
                .Select(g => new { Person = g.Key, Eligible = g.Count(), Voted = g.Count(v => v.Status == VoterStatus.Voted) })
                .ToListAsync(cancellationToken))
            .OrderBy(r => (double)r.Voted / r.Eligible).ThenBy(r => r.Person, StringComparer.Ordinal)
            .Select(r => new Figure(names.People.GetValueOrDefault(r.Person) ?? r.Person, (double)r.Voted / r.Eligible, t.Participation(r.Voted, r.Eligible), $"/ledger?member={Uri.EscapeDataString(r.Person)}"))
            .ToList();

        return new Result(open, overdue, byMonth, perMember, perUnit, await ConsentByKindAsync(db, caller, t, cancellationToken), participation,
            await OverdueByStepAsync(db, openItems.Where(w => w.DueAt < now), t, cancellationToken));
    }

    /// <summary>Of the decided consultations of each kind (promotion, award, evaluation), the share with the committee's consent.</summary>
    private async Task<IReadOnlyList<Figure>> ConsentByKindAsync(WorkflowDbContext db, Caller caller, Texts t, CancellationToken cancellationToken)
    {
        var kinds = catalog.Current(Consultation)?.Inputs.FirstOrDefault(f => f.Name == "kind")?.Options ?? [];
        var figures = new List<Figure>();
        foreach (var kind in kinds)
        {
            var results = await InputSql.WhereKindIs(db, kind.Value).AsNoTracking().VisibleTo(db, caller)
                .Where(i => i.DefinitionId == Consultation && i.Status == InstanceRowStatus.Completed && (i.Result == "consent" || i.Result == "no-consent"))
                .GroupBy(i => i.Result).Select(g => new { Result = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            var decided = results.Sum(r => r.Count);
            var consent = results.Where(r => r.Result == "consent").Sum(r => r.Count);
            if (decided > 0)
            {
                figures.Add(new Figure(kind.Label.For(t.Language), (double)consent / decided, t.ConsentRate(consent, decided),
                    $"/ledger?process={Consultation}&kind={Uri.EscapeDataString(kind.Value)}&state=completed"));
            }
        }

        return figures;
    }

    private async Task<IReadOnlyList<Figure>> OverdueByStepAsync(WorkflowDbContext db, IQueryable<WorkItem> overdue, Texts t, CancellationToken cancellationToken)
    {
        var steps = await overdue.Join(db.Instances, w => w.InstanceId, i => i.Id, (w, i) => new { i.DefinitionId, w.ActivityId })
            .GroupBy(s => new { s.DefinitionId, s.ActivityId })
            .Select(g => new { g.Key.DefinitionId, g.Key.ActivityId, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. steps.OrderByDescending(s => s.Count).ThenBy(s => s.DefinitionId, StringComparer.Ordinal).Select(s =>
        {
            var definition = catalog.Current(s.DefinitionId);
            var label = $"{definition?.FindActivity(s.ActivityId)?.Name?.For(t.Language) ?? s.ActivityId} · {definition?.Name?.For(t.Language) ?? s.DefinitionId}";
            return new Figure(label, s.Count, s.Count.ToString(CultureInfo.InvariantCulture),
                $"/ledger?process={Uri.EscapeDataString(s.DefinitionId)}&step={Uri.EscapeDataString(s.ActivityId)}&overdue=true");
        })];
    }
}
