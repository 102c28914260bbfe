using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The e-mail outbox: deliveries written with their step, claimed one at a time (a conditional update, so of two hosts
/// exactly one wins), re-checked for relevance just before sending, and retried with back-off until they give up.
/// Also the in-app side: a person's notifications, read and unread.
/// </summary>
public sealed class NotificationOutbox(IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time)
{
    /// <summary>
    /// Takes <paramref name="notificationId"/>'s e-mail delivery for <paramref name="lease"/>. Null when it is not
    /// claimable (sent, given up, claimed by another host) or no longer relevant (then it is marked suppressed).
    /// </summary>
    public async Task<ClaimedDelivery?> ClaimAsync(Guid notificationId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var leaseUntil = now + lease;
        var claimed = await db.NotificationDeliveries
            .Where(d => d.NotificationId == notificationId && d.Channel == DeliveryChannel.Email
                && (d.Status == DeliveryStatus.Pending || (d.Status == DeliveryStatus.Sending && d.LeaseUntil < now)))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sending)
                .SetProperty(d => d.LeaseUntil, leaseUntil)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        var notification = await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == notificationId, cancellationToken);
        var data = JsonNode.Parse(notification.DataJson) as JsonObject ?? [];
        if (await WhyIrrelevantAsync(db, notification, data, cancellationToken) is { } reason)
        {
            await SettleAsync(db, notificationId, DeliveryStatus.Suppressed, reason, null, cancellationToken);
            return null;
        }

        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == notification.RecipientId, cancellationToken);
        var attempts = await db.NotificationDeliveries.Where(d => d.NotificationId == notificationId && d.Channel == DeliveryChannel.Email)
            .Select(d => d.Attempts).SingleAsync(cancellationToken);
        return new ClaimedDelivery(notification.Id, notification.CommunityId, notification.RecipientId, person?.Email, person?.Language ?? "zh-CN",
            person?.NameZh, person?.NameEn, notification.Template, data, notification.CreatedAt, attempts);
    }

    public async Task MarkSentAsync(Guid notificationId, string address, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        await db.NotificationDeliveries
            .Where(d => d.NotificationId == notificationId && d.Channel == DeliveryChannel.Email && d.Status == DeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sent).SetProperty(d => d.SentAt, now)
                .SetProperty(d => d.Address, address).SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null).SetProperty(d => d.LastError, (string?)null), cancellationToken);
    }

    public async Task MarkSkippedAsync(Guid notificationId, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await SettleAsync(db, notificationId, DeliveryStatus.Skipped, reason, null, cancellationToken);
    }

    /// <summary>Records a failed attempt. Returns when to try again, or null when this was the last attempt (status <c>failed</c>).</summary>
    public async Task<DateTimeOffset?> MarkFailedAsync(Guid notificationId, string address, string error, int attempts, RetryPolicy policy, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var giveUp = attempts >= policy.MaxAttempts;
        var next = giveUp ? (DateTimeOffset?)null : time.GetUtcNow() + policy.DelayAfter(attempts);
        var message = error.Length > 2000 ? error[..2000] : error;
        await db.NotificationDeliveries
            .Where(d => d.NotificationId == notificationId && d.Channel == DeliveryChannel.Email && d.Status == DeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, giveUp ? DeliveryStatus.Failed : DeliveryStatus.Pending)
                .SetProperty(d => d.NextAttemptAt, d => next ?? d.NextAttemptAt)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.Address, address)
                .SetProperty(d => d.LastError, message), cancellationToken);
        return next;
    }

    /// <summary>Deliveries whose turn has come (a retry due, or a claim whose host died): what the sweep hands out.</summary>
    public async Task<IReadOnlyList<Guid>> DueAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await db.NotificationDeliveries.AsNoTracking()
            .Where(d => (d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now) || (d.Status == DeliveryStatus.Sending && d.LeaseUntil < now))
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.NotificationId)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The ids of the notifications written under these unique keys (the effects of a committed step carry keys).</summary>
    public async Task<IReadOnlyList<Guid>> IdsForKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.AsNoTracking().Where(n => keys.Contains(n.UniqueKey)).Select(n => n.Id).ToListAsync(cancellationToken);
    }

    /// <summary>For administrators: deliveries that gave up, newest first, with the last error.</summary>
    public async Task<IReadOnlyList<DeliveryView>> FailedAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (from d in db.NotificationDeliveries.AsNoTracking()
                      join n in db.Notifications.AsNoTracking() on d.NotificationId equals n.Id
                      where d.Status == DeliveryStatus.Failed
                      orderby d.CreatedAt descending
                      select new DeliveryView(n.Id, n.RecipientId, n.Template, d.Channel, d.Status, d.Attempts, d.Address, d.LastError, d.CreatedAt, d.SentAt))
            .Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>A person's in-app notifications, newest first.</summary>
    public async Task<IReadOnlyList<Notification>> InboxAsync(string personId, bool unreadOnly = false, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.AsNoTracking()
            .Where(n => n.RecipientId == personId && (!unreadOnly || n.ReadAt == null))
            .OrderByDescending(n => n.CreatedAt).ThenBy(n => n.UniqueKey)
            .Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>Marks one of <paramref name="personId"/>'s notifications read; false if it is not theirs or already read.</summary>
    public async Task<bool> MarkReadAsync(Guid notificationId, string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await db.Notifications.Where(n => n.Id == notificationId && n.RecipientId == personId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken) == 1;
    }

    /// <summary>
    /// A reminder or escalation is only worth sending while its step is open, and a reminder only to a member who still
    /// has not voted: the step may have closed between writing the notification and sending it.
    /// </summary>
    internal static async Task<string?> WhyIrrelevantAsync(WorkflowDbContext db, Notification notification, JsonObject data, CancellationToken cancellationToken)
    {
        var kind = data["kind"]?.GetValue<string>();
        var bookmark = data["bookmark"]?.GetValue<string>();
        if (kind is not ("reminder" or "escalation" or "extension") || bookmark is null || notification.InstanceId is not { } instanceId)
        {
            return null;
        }

        var item = await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == instanceId && w.BookmarkId == bookmark)
            .Select(w => new { w.Status, w.Kind }).FirstOrDefaultAsync(cancellationToken);
        if (item is null || item.Status != WorkItemStatus.Open)
        {
            return "the step closed before the message was sent";
        }

        if (kind != "escalation" && item.Kind == WorkItemKind.Ballot)
        {
            var voter = await db.BallotVoters.AsNoTracking()
                .Where(v => v.InstanceId == instanceId && v.BookmarkId == bookmark && v.PersonId == notification.RecipientId)
                .Select(v => v.Status).FirstOrDefaultAsync(cancellationToken);
            if (voter != VoterStatus.Pending)
            {
                return "the member voted or was recused before the message was sent";
            }
        }

        return null;
    }

    private async Task SettleAsync(WorkflowDbContext db, Guid notificationId, string status, string reason, string? address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.NotificationDeliveries
            .Where(d => d.NotificationId == notificationId && d.Channel == DeliveryChannel.Email && d.Status == DeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, status).SetProperty(d => d.LastError, reason)
                .SetProperty(d => d.Address, address).SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null).SetProperty(d => d.NextAttemptAt, now), cancellationToken);
    }
}

/// <summary>A delivery this host now owns: everything needed to render and send it.</summary>
public sealed record ClaimedDelivery(
    Guid NotificationId,
    string CommunityId,
    string RecipientId,
    string? Email,
    string Language,
    string? NameZh,
    string? NameEn,
    string Template,
    JsonObject Data,
    DateTimeOffset CreatedAt,
    int Attempt);

public sealed record DeliveryView(Guid NotificationId, string RecipientId, string Template, string Channel, string Status, int Attempts, string? Address, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>How often and how far apart a failed e-mail is tried again.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static readonly RetryPolicy Default = new(6, TimeSpan.FromSeconds(30), TimeSpan.FromHours(2));

    /// <summary>Exponential: the first delay, doubled after each further failure, capped.</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Max(0, attempts - 1));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstDelay.Ticks * factor, MaxDelay.Ticks));
        return delay;
    }
}
