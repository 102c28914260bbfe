using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.CoBuilding;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.CoBuilding;

/// <summary>The committee's list of units with their co-building counts; a unit's liaison goes straight to their own record.</summary>
public sealed class IndexModel(CoBuildingRecord records) : WebPageModel
{
    public IReadOnlyList<UnitSummary> Units { get; private set; } = [];

    public override string Title => T.CoBuilding;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!LedgerReader.MayRead(Me))
        {
            return Me.LiaisonOfUnit is { } unit ? Redirect($"/co-building/{Uri.EscapeDataString(unit)}") : StatusCode(StatusCodes.Status403Forbidden);
        }

        Units = await records.UnitsAsync(Me, cancellationToken);
        return Page();
    }
}
