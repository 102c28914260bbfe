using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Notifications;

/// <summary>
/// A person who can no longer sign in gets no more messages outside the app (decision 156): every message asks them to
/// open a case, a task, a ballot or a letter, and their account would refuse them. Deactivating the person in the
/// directory marks their waiting deliveries suppressed in the deactivation's transaction; the outbox also checks, when a
/// channel claims a delivery, that the person and their account are still active, which catches a notice a step on
/// another host wrote while the deactivation committed, and a deactivated account (which an administrator may reactivate,
/// so nothing is marked at the time: a message claimed after the reactivation is sent).
/// </summary>
public static class InactiveRecipientNotices
{
    /// <summary>Why a delivery was not sent, in the deactivation's transaction, as administrators see it on the delivery row.</summary>
    public const string DeactivatedReason = "the person was deactivated before the message was sent";

    /// <summary>Why a delivery was not sent, found when a channel claimed it.</summary>
    public const string InactiveReason = "the person or their account was deactivated when the message was to be sent";

    /// <summary>
    /// Runs in the transaction that deactivates <paramref name="personId"/>: every delivery of every notice to them still
    /// waiting goes, whatever it is about, as none can be acted on without signing in. Messages about their work to others
    /// (an escalation to their supervisor about a task they left overdue) are not theirs and are left to be sent.
    /// </summary>
    public static Task<int> SuppressPendingAsync(WorkflowDbContext db, string personId, CancellationToken cancellationToken) =>
        PendingDeliveries.SuppressAsync(
            db.NotificationDeliveries.Where(d => db.Notifications.Any(n => n.Id == d.NotificationId && n.RecipientId == personId)),
            DeactivatedReason, cancellationToken);

    /// <summary>
    /// The send-time check: null while the recipient may still sign in (or is not a person: a group robot). Read when the
    /// delivery is claimed, so a deactivation committed on any host before that moment is seen.
    /// </summary>
    internal static async Task<string?> WhyIrrelevantAsync(WorkflowDbContext db, string recipientId, CancellationToken cancellationToken)
    {
        // One round trip for both: the person's row and their account's, as one union asked whether it has a row.
        var inactive = await db.People.AsNoTracking().Where(p => p.Id == recipientId && p.DeactivatedAt != null).Select(p => p.Id)
            .Concat(db.Accounts.AsNoTracking().Where(a => a.PersonId == recipientId && a.DeactivatedAt != null).Select(a => a.PersonId))
            .AnyAsync(cancellationToken);
        return inactive ? InactiveReason : null;
    }
}
