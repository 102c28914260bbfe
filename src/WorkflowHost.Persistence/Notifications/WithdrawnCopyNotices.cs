using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Persistence.Notifications;

/// <summary>
/// A copy (抄送) withdrawn before its notice went out: the notice would send the person to a case they can no longer read,
/// so its deliveries still waiting are marked suppressed, as the outbox marks a reminder whose step closed.
/// </summary>
public static class WithdrawnCopyNotices
{
    /// <summary>Why the delivery was not sent, as administrators see it on the delivery row.</summary>
    public const string Reason = "the copy was withdrawn before the message was sent";

    /// <summary>
    /// Runs in the withdrawal's transaction. Every copy notice for this person on this case is older than the withdrawal (a
    /// copy is given again only after it, and its notice comes later), so all of them go. A delivery already claimed by a
    /// sender has gone or is going and is left alone; the in-app notice stays, and its link explains the withdrawal.
    /// </summary>
    public static Task<int> SuppressPendingAsync(WorkflowDbContext db, Guid instanceId, string personId, CancellationToken cancellationToken) =>
        PendingDeliveries.SuppressOnCaseAsync(db, instanceId, personId, Copies.CopiedTemplate, Reason, cancellationToken);
}
