using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.InService;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>A unit's liaison reads their own unit's registered members and hours (the unit is theirs, never chosen).</summary>
public sealed class UnitModel(InServiceRecords records) : WebPageModel
{
    public IReadOnlyList<RosterRow> Roster { get; private set; } = [];

    public override string Title => T.InServiceUnit;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Me.LiaisonOfUnit is not { } unit)
        {
            return NotFound();
        }

        Roster = await records.RosterAsync(Me.CommunityId, unit, null, cancellationToken: cancellationToken);
        return Page();
    }
}
