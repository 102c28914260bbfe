using WorkflowHost.Features.Inbox;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>待办 / 已办: the open tasks and ballots (most urgent first) and the ones done, from the API's inbox service.</summary>
public sealed class InboxModel(WorkflowQueries queries, InboxBuilder builder) : WebPageModel
{
    public bool ShowDone { get; private set; }

    public IReadOnlyList<InboxItem> Items { get; private set; } = [];

    public override string Title => ShowDone ? T.Done : T.Inbox;

    public async Task OnGetAsync(string? tab, CancellationToken cancellationToken)
    {
        ShowDone = tab == "done";
        if (ShowDone)
        {
            var done = await builder.DoneAsync(Me, cancellationToken);
            Items = await builder.BuildAsync(Me, [.. done.Take(100)], cancellationToken);
        }
        else
        {
            var open = await queries.OpenWorkForAsync(Me.AsWorkHolder(), cancellationToken);
            Items = await builder.BuildAsync(Me, [.. open.Select(i => (i, (string?)null, (DateTimeOffset?)null))], cancellationToken);
        }
    }

    public static string WorkLink(InboxItem item) => $"/work/{item.InstanceId}/{Uri.EscapeDataString(item.StepId)}";
}
