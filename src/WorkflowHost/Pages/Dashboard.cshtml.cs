using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// For the secretary, the office and the street committee: open and overdue items, consultations by month, and how
/// long members take to vote and units' items take to decide. Everything is counted over the instances the caller may
/// see (<see cref="Access.VisibleTo"/>), so a street committee sees its street and a secretary their community.
/// </summary>
public sealed class DashboardModel(IDbContextFactory<WorkflowDbContext> contexts) : WebPageModel
{
    public int Open { get; private set; }

    public int Overdue { get; private set; }

    public IReadOnlyList<(string Label, double Value, string Text)> ByMonth { get; private set; } = [];

    public IReadOnlyList<(string Label, double Value, string Text)> PerMember { get; private set; } = [];

    public IReadOnlyList<(string Label, double Value, string Text)> PerUnit { get; private set; } = [];

    public override string Title => T.Dashboard;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!(Me.Has(RoleNames.Secretary) || Me.Has(RoleNames.Office) || Me.Has(RoleNames.StreetCommittee)))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var visible = db.Instances.AsNoTracking().VisibleTo(db, Me);
        var ids = visible.Select(i => i.Id);
        var open = await db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open && ids.Contains(w.InstanceId)).Select(w => w.DueAt).ToListAsync(cancellationToken);
        Open = open.Count;
        Overdue = open.Count(d => d < Now);

        var instances = await visible.Select(i => new { i.CreatedAt, i.EndedAt, i.UnitId, i.CommunityId }).ToListAsync(cancellationToken);
        var names = await InstanceReader.NamesAsync(db, Me.CommunityId, Me, cancellationToken, [.. instances.Select(i => i.CommunityId).Distinct()]);
        ByMonth = [.. instances.GroupBy(i => TimeZoneInfo.ConvertTime(i.CreatedAt, Zone).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key).TakeLast(12).Select(g => (g.Key, (double)g.Count(), g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)))];
        PerUnit = [.. instances.Where(i => i.EndedAt is not null && i.UnitId is not null).GroupBy(i => i.UnitId!)
            .Select(g => (names.Units.GetValueOrDefault(g.Key) ?? g.Key, g.Average(i => (i.EndedAt!.Value - i.CreatedAt).TotalDays)))
            .OrderByDescending(r => r.Item2).Select(r => (r.Item1, r.Item2, T.AverageDays(r.Item2)))];

        var votes = await db.BallotVoters.AsNoTracking()
            .Where(v => v.Status == VoterStatus.Voted && v.RespondedAt != null && ids.Contains(v.InstanceId))
            .Join(db.WorkItems, v => new { v.InstanceId, v.BookmarkId }, w => new { w.InstanceId, w.BookmarkId }, (v, w) => new { v.PersonId, v.RespondedAt, w.OpenedAt })
            .ToListAsync(cancellationToken);
        PerMember = [.. votes.GroupBy(v => v.PersonId)
            .Select(g => (names.People.GetValueOrDefault(g.Key) ?? g.Key, g.Average(v => (v.RespondedAt!.Value - v.OpenedAt).TotalDays)))
            .OrderByDescending(r => r.Item2).Select(r => (r.Item1, r.Item2, T.AverageDays(r.Item2)))];
        return Page();
    }
}
