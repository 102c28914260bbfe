using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// The collection windows (活动认领/报名) now open to the caller: every running activity they can see with a step whose
/// contribute link the API offers them. Seeing it is the API's rule (an open window makes the activity visible to its
/// contributors), so this page shows nothing the API would not.
/// </summary>
public sealed class OpenWindowsModel(InstanceReader reader) : WebPageModel
{
    /// <summary>A page of the newest running instances is enough: a community runs a handful of activities at a time.</summary>
    private const int Newest = 100;

    public IReadOnlyList<(InstanceView Instance, StepView Step)> Windows { get; private set; } = [];

    public override string Title => T.OpenWindows;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var running = await reader.ListAsync(Me, new InstanceFilter(null, InstanceRowStatus.Running, null, null, null, 1, Newest), cancellationToken);
        var windows = new List<(InstanceView, StepView)>();
        foreach (var summary in running.Items)
        {
            if (await reader.GetAsync(Me, summary.Id, cancellationToken) is not { } instance)
            {
                continue;
            }

            windows.AddRange(instance.CurrentSteps.Where(s => s.Links?.Contribute is not null).Select(s => (instance, s)));
        }

        Windows = windows;
        return Page();
    }
}
