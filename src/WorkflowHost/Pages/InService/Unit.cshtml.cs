using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.InService;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>A unit's liaison reads their own unit's registered members and hours, and the community's feedback letters (the unit is theirs, never chosen).</summary>
public sealed class UnitModel(InServiceRecords records, FeedbackReader feedback) : WebPageModel
{
    public IReadOnlyList<RosterRow> Roster { get; private set; } = [];

    /// <summary>The community's feedback letters to this unit (反馈函), newest first.</summary>
    public IReadOnlyList<LetterSummary> Letters { get; private set; } = [];

    public override string Title => T.InServiceUnit;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Me.LiaisonOfUnit is not { } unit)
        {
            return NotFound();
        }

        Roster = await records.RosterAsync(Me.CommunityId, unit, null, cancellationToken: cancellationToken);
        Letters = await feedback.LettersAsync(Me.CommunityId, unit, cancellationToken);
        return Page();
    }
}
