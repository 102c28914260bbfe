using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The notifications a step wrote, seen from outside the channels: which deliveries are due (the sweep), which gave up
/// (administrators), the relevance rule every channel re-checks before sending, and a person's in-app notifications.
/// Claiming and settling a delivery is <see cref="Notifications.ChannelOutbox"/>'s, one row per channel.
/// </summary>
public sealed class NotificationOutbox(IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time)
{
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
    /// has not voted: the step may have closed between writing the notification and sending it. A task handed to one
    /// person only while it is still theirs (<see cref="Notifications.TaskMoveNoticeRelevance"/>). Nothing at all to a person
    /// who can no longer sign in (<see cref="Notifications.InactiveRecipientNotices"/>).
    /// </summary>
    internal static async Task<string?> WhyIrrelevantAsync(WorkflowDbContext db, Notification notification, JsonObject data, CancellationToken cancellationToken)
    {
        if (await Notifications.InactiveRecipientNotices.WhyIrrelevantAsync(db, notification.RecipientId, cancellationToken) is { } inactive)
        {
            return inactive;
        }

        var kind = data["kind"]?.GetValue<string>();
        var bookmark = data["bookmark"]?.GetValue<string>();
        if (Notifications.TaskMoveNoticeRelevance.Covers(kind) && bookmark is not null && notification.InstanceId is { } movedIn)
        {
            return await Notifications.TaskMoveNoticeRelevance.WhyIrrelevantAsync(db, movedIn, bookmark, kind!, notification.RecipientId, cancellationToken);
        }

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
