using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Notifications;

/// <summary>
/// Marks deliveries that no sender has claimed yet as not to be sent, with the reason administrators see on the row, in
/// the caller's transaction. A delivery a sender has claimed has gone or is going and is left alone; the in-app notice
/// always stays.
/// </summary>
public static class PendingDeliveries
{
    public static Task<int> SuppressAsync(IQueryable<NotificationDelivery> deliveries, string reason, CancellationToken cancellationToken) =>
        deliveries.Where(d => d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Suppressed).SetProperty(d => d.LastError, reason), cancellationToken);

    /// <summary>The waiting deliveries of one person's notices of one template on one case.</summary>
    public static Task<int> SuppressOnCaseAsync(
        WorkflowDbContext db, Guid instanceId, string personId, string template, string reason, CancellationToken cancellationToken) =>
        SuppressAsync(
            db.NotificationDeliveries.Where(d => db.Notifications.Any(n => n.Id == d.NotificationId
                && n.InstanceId == instanceId && n.RecipientId == personId && n.Template == template)),
            reason, cancellationToken);
}
