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

    /// <summary>
    /// A page of this site a notice points to besides its case (a unit's feedback letter): only a local path, so a notice's
    /// data can never send the reader elsewhere.
    /// </summary>
    public static string? LinkOf(Notification row) =>
        JsonNode.Parse(row.DataJson)?["link"] is JsonValue value && value.TryGetValue<string>(out var link)
        && link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal) && !link.Contains('\\', StringComparison.Ordinal)
            ? link
            : null;

    /// <summary>
    /// The case a notice links to; none when the notice says the reader's access to it was taken back (decision 139), which
    /// would only lead them to a "not found".
    /// </summary>
    public static Guid? CaseOf(Notification row) =>
        JsonNode.Parse(row.DataJson)?["stillReads"] is JsonValue value && value.TryGetValue<bool>(out var stillReads) && !stillReads
            ? null
            : row.InstanceId;

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
