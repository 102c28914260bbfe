using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.InService;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// For the secretary, the office and the street committee: open and overdue items, consultations by month, how long
/// members take to vote and units' items take to decide, consent rates, participation and overdue work by step
/// (<see cref="DashboardFigures"/>). Every figure links to the ledger filtered to the cases it counts.
/// </summary>
public sealed class DashboardModel(DashboardFigures figures, InServiceDashboard inService) : WebPageModel
{
    public DashboardFigures.Result Figures { get; private set; } = null!;

    /// <summary>The in-service part, for the office and the secretary (whose roster it links to); null for others.</summary>
    public InServiceDashboard.Charts? InService { get; private set; }

    public override string Title => T.Dashboard;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!LedgerReader.MayRead(Me))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Figures = await figures.ReadAsync(Me, T, Zone, cancellationToken);
        InService = await inService.ReadAsync(Me, T, cancellationToken);
        return Page();
    }

    public static IReadOnlyList<(string Label, double Value, string Text, string Href)> Bars(IReadOnlyList<Figure> figures) =>
        [.. figures.Select(f => (f.Label, f.Value, f.Text, f.Href))];
}
