using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Notifications;

/// <summary>
/// A notice that handed a task to one person (transferred to them, delegated to them, routed to them as a deputy) is only
/// worth sending while the task is still theirs: it may have been transferred on, handed back, offered back, routed back
/// after the leave, or closed between writing the notice and sending it. Checked when a channel claims the delivery, with
/// the outbox's other relevance rules, so a stale one is marked suppressed instead of sending the person to a task they
/// can no longer act on. The in-app notice stays.
/// </summary>
public static class TaskMoveNoticeRelevance
{
    public const string Reason = "the task was no longer the person's when the message was to be sent";

    private static readonly string PersonAssignment = StoredName.Of(AssignmentKind.Person);

    internal static bool Covers(string? kind) => kind is TaskMoveTemplates.Transferred or TaskMoveTemplates.Delegated or TaskMoveTemplates.RoutedToDeputy;

    internal static async Task<string?> WhyIrrelevantAsync(WorkflowDbContext db, Guid instanceId, string bookmark, string kind, string recipient, CancellationToken cancellationToken)
    {
        var item = await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == instanceId && w.BookmarkId == bookmark)
            .Select(w => new { w.Status, w.HolderId, w.DelegateId, w.AssigneeKind, w.AssigneeValue }).FirstOrDefaultAsync(cancellationToken);
        if (item is null || item.Status != WorkItemStatus.Open)
        {
            return "the step closed before the message was sent";
        }

        var stillTheirs = kind switch
        {
            TaskMoveTemplates.Transferred => item.HolderId == recipient,
            TaskMoveTemplates.Delegated => item.DelegateId == recipient,
            _ => item.AssigneeKind == PersonAssignment && item.AssigneeValue == recipient,
        };
        return stillTheirs ? null : Reason;
    }
}
