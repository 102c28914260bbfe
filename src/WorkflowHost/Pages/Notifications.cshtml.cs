using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>The in-app notifications (reminders, escalations, extensions), in the reader's language, read or unread.</summary>
public sealed class NotificationsModel(NotificationOutbox outbox, NotificationTexts texts) : WebPageModel
{
    public IReadOnlyList<(Notification Row, RenderedText Text)> Items { get; private set; } = [];

    public override string Title => T.Notifications;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = await outbox.InboxAsync(Me.PersonId, cancellationToken: cancellationToken);
        Items = [.. rows.Select(n => (n, texts.Render(n.Template, Me.Language, JsonNode.Parse(n.DataJson)?.AsObject() ?? [], Me.Name)))];
    }

    public async Task<IActionResult> OnPostReadAsync(Guid notification, CancellationToken cancellationToken)
    {
        await outbox.MarkReadAsync(notification, Me.PersonId, cancellationToken);
        return Redirect("/notifications");
    }
}
