using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.InService;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>The office's list of activity co-organisations to take attendance for or open a check-in.</summary>
public sealed class ActivitiesModel(ParticipationLog log) : WebPageModel
{
    public IReadOnlyList<ActivityRow> Activities { get; private set; } = [];

    public override string Title => T.InServiceActivities;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        Activities = await log.ActivitiesAsync(Me.CommunityId, cancellationToken);
        return Page();
    }
}
