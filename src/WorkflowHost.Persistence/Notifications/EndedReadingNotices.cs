using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Persistence.Notifications;

/// <summary>
/// A delegate's reading ended (委派, decision 139) before the notice of the delegation went out: that notice asks them to
/// prepare a task of a case they can no longer open, so its deliveries still waiting are marked suppressed, as a withdrawn
/// copy's are (<see cref="WithdrawnCopyNotices"/>).
/// </summary>
public static class EndedReadingNotices
{
    /// <summary>Why the delivery was not sent, as administrators see it on the delivery row.</summary>
    public const string Reason = "the delegate's reading of the case ended before the message was sent";

    /// <summary>
    /// Runs in the transaction that ends the reading. The engine refuses to end it while the person still prepares a task
    /// of the case, and a later delegation's notice is written after this, so every delegation notice to this person on
    /// this case is about a task they already handed back: all of them go, whether or not the person still reads the case
    /// as a copy. A delivery already claimed by a sender has gone or is going and is left alone; the in-app notice stays.
    /// </summary>
    public static Task<int> SuppressPendingAsync(WorkflowDbContext db, Guid instanceId, string personId, CancellationToken cancellationToken) =>
        PendingDeliveries.SuppressOnCaseAsync(db, instanceId, personId, TaskMoveTemplates.Delegated, Reason, cancellationToken);
}
