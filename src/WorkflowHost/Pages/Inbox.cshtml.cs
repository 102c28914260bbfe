using WorkflowHost.Features.Inbox;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>待办 / 已办: the open tasks and ballots (most urgent first) and the ones done, from the API's inbox service.</summary>
public sealed class InboxModel(WorkflowQueries queries, InboxBuilder builder, Features.Copies.CopiedCases copies) : WebPageModel
{
    public bool ShowDone { get; private set; }

    /// <summary>抄送我的: the cases the reader was copied on, with no task in them.</summary>
    public bool ShowCopied { get; private set; }

    public IReadOnlyList<Features.Copies.CopiedCase> Copied { get; private set; } = [];

    public IReadOnlyList<InboxItem> Items { get; private set; } = [];

    public override string Title => ShowDone ? T.Done : ShowCopied ? T.CopiedToMe : T.Inbox;

    public async Task OnGetAsync(string? tab, CancellationToken cancellationToken)
    {
        ShowDone = tab == "done";
        ShowCopied = tab == "copied";
        if (ShowCopied)
        {
            Copied = (await copies.ForAsync(Me, 1, Features.Instances.ListInstancesQuery.MaxPageSize, cancellationToken)).Items;
        }
        else if (ShowDone)
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
