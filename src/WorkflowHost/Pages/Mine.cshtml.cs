using WorkflowHost.Features.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>A unit's submissions (or, for anyone else, the ones they started), newest first, through the API's list query.</summary>
public sealed class MineModel(InstanceReader reader) : WebPageModel
{
    public IReadOnlyList<InstanceSummary> Items { get; private set; } = [];

    public override string Title => T.MySubmissions;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = await reader.ListAsync(Me, new InstanceFilter(null, null, Me.LiaisonOfUnit, null, null, 1, ListInstancesQuery.MaxPageSize), cancellationToken);
        Items = Me.LiaisonOfUnit is null ? [.. page.Items.Where(i => i.Initiator.Id == Me.PersonId)] : page.Items;
    }
}
