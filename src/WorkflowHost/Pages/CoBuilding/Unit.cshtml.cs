using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.CoBuilding;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.CoBuilding;

/// <summary>One unit's co-building record, for the committee side and for the unit's own liaison; anyone else gets 404.</summary>
public sealed class UnitModel(CoBuildingRecord records) : WebPageModel
{
    public UnitRecord Record { get; private set; } = null!;

    /// <summary>The committee may open the unit's cases in the ledger; a liaison finds them under "my submissions".</summary>
    public string CasesLink => LedgerReader.MayRead(Me) ? $"/ledger?unit={Uri.EscapeDataString(Record.UnitId)}" : "/mine";

    public override string Title => Record is null ? T.CoBuilding : T.CoBuildingOf(Record.Name.For(T.Language));

    public async Task<IActionResult> OnGetAsync(string unit, CancellationToken cancellationToken)
    {
        if (await records.UnitAsync(Me, unit, cancellationToken) is not { } record)
        {
            return NotFound();
        }

        Record = record;
        return Page();
    }
}
