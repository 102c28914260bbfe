using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Notifications;

/// <summary>
/// The outbox per channel: the e-mail outbox's rules (ADR 0011) for every channel. A delivery is claimed by a conditional
/// update, so of two hosts exactly one sends; re-checked for relevance; held (not attempted) during quiet hours; retried
/// with back-off; and given up as <c>failed</c> with the reason. Also the channels' health (one alert per outage), the
/// administrators' views and retries, and people's preferences.
/// </summary>
public sealed class ChannelOutbox(IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time)
{
    /// <summary>
    /// How early a pending delivery may be claimed. Hangfire keeps a delayed job's time in whole seconds, so the retry job
    /// may run up to a second before the row's <c>NextAttemptAt</c>; without this it would find nothing and the retry
    /// would wait for the next sweep. Holds for quiet hours are hours long, so this second never sends one early.
    /// </summary>
    public static readonly TimeSpan EarlyClaim = TimeSpan.FromSeconds(1);

    /// <summary>The channels of a notification whose delivery may be claimable now (pending and due, or a claim that expired).</summary>
    public async Task<IReadOnlyList<string>> ChannelsDueAsync(Guid notificationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var due = now + EarlyClaim;
        return await db.NotificationDeliveries.AsNoTracking()
            .Where(d => d.NotificationId == notificationId
                && ((d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= due) || (d.Status == DeliveryStatus.Sending && d.LeaseUntil < now)))
            .OrderBy(d => d.Channel).Select(d => d.Channel).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Takes one channel's delivery for <paramref name="lease"/>. Null when it is not claimable (sent, given up, not due yet,
    /// claimed by another host) or no longer relevant (then it is marked suppressed).
    /// </summary>
    public async Task<ChannelDelivery?> ClaimAsync(Guid notificationId, string channel, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var leaseUntil = now + lease;
        var due = now + EarlyClaim;
        var claimed = await db.NotificationDeliveries
            .Where(d => d.NotificationId == notificationId && d.Channel == channel
                && ((d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= due) || (d.Status == DeliveryStatus.Sending && d.LeaseUntil < now)))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sending)
                .SetProperty(d => d.LeaseUntil, leaseUntil)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        var notification = await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == notificationId, cancellationToken);
        var data = JsonNode.Parse(notification.DataJson) as JsonObject ?? [];
        if (await NotificationOutbox.WhyIrrelevantAsync(db, notification, data, cancellationToken) is { } reason)
        {
            await SettleAsync(db, notificationId, channel, DeliveryStatus.Suppressed, reason, cancellationToken);
            return null;
        }

        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == notification.RecipientId, cancellationToken);
        var delivery = await db.NotificationDeliveries.AsNoTracking()
            .SingleAsync(d => d.NotificationId == notificationId && d.Channel == channel, cancellationToken);
        return new ChannelDelivery(notification.Id, channel, notification.CommunityId, notification.RecipientId, person?.Email, person?.Phone,
            person?.Language ?? "zh-CN", person?.NameZh, person?.NameEn, notification.Template, data, notification.CreatedAt, delivery.Attempts);
    }

    /// <summary>Gives a claimed delivery back without counting an attempt: it waits (quiet hours) until <paramref name="until"/>.</summary>
    public async Task HoldAsync(Guid notificationId, string channel, DateTimeOffset until, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.NotificationDeliveries
            .Where(d => d.NotificationId == notificationId && d.Channel == channel && d.Status == DeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending)
                .SetProperty(d => d.NextAttemptAt, until)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.Attempts, d => d.Attempts - 1)
                .SetProperty(d => d.LastError, reason), cancellationToken);
    }

    public async Task MarkSentAsync(Guid notificationId, string channel, string address, string? externalId, string? report, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        await db.NotificationDeliveries
            .Where(d => d.NotificationId == notificationId && d.Channel == channel && d.Status == DeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sent).SetProperty(d => d.SentAt, now)
                .SetProperty(d => d.Address, address).SetProperty(d => d.ExternalId, externalId).SetProperty(d => d.Report, report)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null).SetProperty(d => d.LastError, (string?)null), cancellationToken);
    }

    public async Task MarkSkippedAsync(Guid notificationId, string channel, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await SettleAsync(db, notificationId, channel, DeliveryStatus.Skipped, reason, cancellationToken);
    }

    /// <summary>
    /// Records a failed attempt. Returns when to try again, or null when it gave up (status <c>failed</c>): after the last
    /// attempt, or at once for a permanent failure (a revoked key is not fixed by waiting).
    /// </summary>
    public async Task<DateTimeOffset?> MarkFailedAsync(Guid notificationId, string channel, string address, string error, int attempts, RetryPolicy policy,
        bool permanent, TimeSpan? retryAfter, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var giveUp = permanent || attempts >= policy.MaxAttempts;
        var delay = policy.DelayAfter(attempts);
        if (retryAfter is { } wait && wait > delay)
        {
            delay = wait < policy.MaxDelay ? wait : policy.MaxDelay;
        }

        var next = giveUp ? (DateTimeOffset?)null : time.GetUtcNow() + delay;
        var message = error.Length > 2000 ? error[..2000] : error;
        await db.NotificationDeliveries
            .Where(d => d.NotificationId == notificationId && d.Channel == channel && d.Status == DeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, giveUp ? DeliveryStatus.Failed : DeliveryStatus.Pending)
                .SetProperty(d => d.NextAttemptAt, d => next ?? d.NextAttemptAt)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.Address, address)
                .SetProperty(d => d.LastError, message), cancellationToken);
        return next;
    }

    /// <summary>A delivery report that arrives later (a gateway's callback), found by the platform's message id.</summary>
    public async Task<bool> RecordReportAsync(string channel, string externalId, string report, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var value = report.Length > 200 ? report[..200] : report;
        return await db.NotificationDeliveries.Where(d => d.Channel == channel && d.ExternalId == externalId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Report, value), cancellationToken) > 0;
    }

    /// <summary>A success: the channel is healthy again and a later outage will be reported again.</summary>
    public async Task RecordSuccessAsync(string communityId, string channel, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var updated = await db.ChannelHealth.Where(h => h.CommunityId == communityId && h.Channel == channel)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.ConsecutiveFailures, 0).SetProperty(h => h.FailingSince, (DateTimeOffset?)null)
                .SetProperty(h => h.AlertedAt, (DateTimeOffset?)null).SetProperty(h => h.LastSuccessAt, now), cancellationToken);
        if (updated == 0)
        {
            await InsertHealthAsync(db, new ChannelHealth { CommunityId = communityId, Channel = channel, LastSuccessAt = now }, cancellationToken);
        }
    }

    /// <summary>
    /// A failure of the channel itself (not of one address). Returns the start of the outage when this call is the one
    /// that must tell the administrators: the failures reached <paramref name="threshold"/> and nobody told them yet.
    /// </summary>
    public async Task<DateTimeOffset?> RecordChannelFailureAsync(string communityId, string channel, string error, int threshold, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var message = error.Length > 2000 ? error[..2000] : error;
        var updated = await db.ChannelHealth.Where(h => h.CommunityId == communityId && h.Channel == channel)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.ConsecutiveFailures, h => h.ConsecutiveFailures + 1)
                .SetProperty(h => h.FailingSince, h => h.FailingSince ?? now).SetProperty(h => h.LastError, message), cancellationToken);
        if (updated == 0 && !await InsertHealthAsync(db, new ChannelHealth
            {
                CommunityId = communityId, Channel = channel, ConsecutiveFailures = 1, FailingSince = now, LastError = message,
            }, cancellationToken))
        {
            await db.ChannelHealth.Where(h => h.CommunityId == communityId && h.Channel == channel)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.ConsecutiveFailures, h => h.ConsecutiveFailures + 1)
                    .SetProperty(h => h.FailingSince, h => h.FailingSince ?? now).SetProperty(h => h.LastError, message), cancellationToken);
        }

        // The alert is claimed like a delivery: one conditional update, one winner among hosts and messages.
        var claimed = await db.ChannelHealth
            .Where(h => h.CommunityId == communityId && h.Channel == channel && h.AlertedAt == null && h.ConsecutiveFailures >= threshold)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.AlertedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        return await db.ChannelHealth.AsNoTracking().Where(h => h.CommunityId == communityId && h.Channel == channel)
            .Select(h => h.FailingSince).SingleAsync(cancellationToken) ?? now;
    }

    /// <summary>
    /// Writes the "channel failing" notice to every administrator of the community, each on their own channels except the
    /// failing one; the unique key (community, channel, start of the outage, administrator) makes it once per outage.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> AlertAdministratorsAsync(string communityId, string channel, DateTimeOffset failingSince, string error, string administratorRole, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var administrators = await db.PersonRoles.AsNoTracking().Where(r => r.Role == administratorRole)
            .Join(db.People.Where(p => p.CommunityId == communityId), r => r.PersonId, p => p.Id, (r, p) => p.Id)
            .Distinct().ToListAsync(cancellationToken);
        var written = new List<Guid>();
        foreach (var administrator in administrators)
        {
            var key = $"channel-failing/{communityId}/{channel}/{failingSince.UtcTicks}/{administrator}";
            if (await db.Notifications.AnyAsync(n => n.UniqueKey == key, cancellationToken))
            {
                continue;
            }

            var data = new JsonObject { ["kind"] = "channel-failing", ["channel"] = channel, ["since"] = failingSince, ["error"] = error };
            var message = await DeliveryPlan.AddAsync(db, new PersonalNotice(communityId, administrator, key, ChannelNames.ChannelFailingTemplate, data),
                now, cancellationToken, except: channel);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                written.Add(message.Id);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // another host wrote this administrator's notice first
            }
        }

        return written;
    }

    /// <summary>
    /// Writes a person's digest for one day, with its deliveries on their channels. Null when it exists already (another
    /// host, or an earlier run): the unique key <c>digest/{person}/{day}</c> makes it once per person and day.
    /// </summary>
    public async Task<Guid?> WriteDigestAsync(string communityId, string personId, DateOnly day, JsonObject data, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = DigestKey(personId, day);
        if (await db.Notifications.AnyAsync(n => n.UniqueKey == key, cancellationToken))
        {
            return null;
        }

        var message = await DeliveryPlan.AddAsync(db, new PersonalNotice(communityId, personId, key, ChannelNames.DigestTemplate, data), time.GetUtcNow(), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return message.Id;
        }
        catch (DbUpdateException)
        {
            return null;
        }
    }

    public static string DigestKey(string personId, DateOnly day) => $"digest/{personId}/{day:yyyy-MM-dd}";

    /// <summary>The people who asked for a digest, with their community.</summary>
    public async Task<IReadOnlyList<(string PersonId, string CommunityId)>> DigestReadersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.NotificationPreferences.AsNoTracking().Where(p => p.Digest)
            .Join(db.People, p => p.PersonId, person => person.Id, (p, person) => new { person.Id, person.CommunityId })
            .OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.CommunityId))];
    }

    /// <summary>What one person's digest says: their open work (and which of it is overdue) and what was decided on their cases since.</summary>
    public async Task<JsonObject> DigestContentAsync(string personId, IReadOnlyList<WorkItem> openWork, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var decided = await db.WorkItems.AsNoTracking()
            .Where(w => w.Status != WorkItemStatus.Open && w.ClosedAt >= since && w.ClosedAt < now && w.Outcome != null)
            .Join(db.Instances.Where(i => i.InitiatorId == personId), w => w.InstanceId, i => i.Id, (w, i) => new { w.InstanceId, i.DefinitionId, w.ActivityId, w.Outcome })
            .ToListAsync(cancellationToken);
        return new JsonObject
        {
            ["kind"] = "digest",
            ["open"] = new JsonArray([.. openWork.Select(w => (JsonNode)new JsonObject
            {
                ["instance"] = w.InstanceId.ToString(), ["activity"] = w.ActivityId, ["kind"] = w.Kind, ["dueAt"] = w.DueAt,
                ["overdue"] = w.DueAt is { } due && due < now,
            })]),
            ["decided"] = new JsonArray([.. decided.Select(d => (JsonNode)new JsonObject
            {
                ["instance"] = d.InstanceId.ToString(), ["process"] = d.DefinitionId, ["activity"] = d.ActivityId, ["outcome"] = d.Outcome,
            })]),
        };
    }

    // ---- administrators ----

    /// <summary>Deliveries of one community, newest first, optionally of one channel and status.</summary>
    public async Task<IReadOnlyList<ChannelDeliveryView>> DeliveriesAsync(string communityId, string? channel = null, string? status = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (from d in db.NotificationDeliveries.AsNoTracking()
                      join n in db.Notifications.AsNoTracking() on d.NotificationId equals n.Id
                      where d.CommunityId == communityId && (channel == null || d.Channel == channel) && (status == null || d.Status == status)
                      orderby d.CreatedAt descending
                      select new ChannelDeliveryView(n.Id, d.Channel, n.RecipientId, n.Template, d.Status, d.Attempts, d.Address, d.LastError,
                          d.ExternalId, d.Report, d.CreatedAt, d.NextAttemptAt, d.SentAt))
            .Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>Counts per channel and status, for the admin page's summary.</summary>
    public async Task<IReadOnlyList<(string Channel, string Status, int Count)>> CountsAsync(string communityId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.NotificationDeliveries.AsNoTracking().Where(d => d.CommunityId == communityId)
            .GroupBy(d => new { d.Channel, d.Status }).Select(g => new { g.Key.Channel, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Channel).ThenBy(r => r.Status).Select(r => (r.Channel, r.Status, r.Count))];
    }

    public async Task<IReadOnlyList<ChannelHealth>> HealthAsync(string communityId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ChannelHealth.AsNoTracking().Where(h => h.CommunityId == communityId).OrderBy(h => h.Channel).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// After a key was fixed: every failed (or skipped for want of configuration) delivery of the channel is due again,
    /// with its attempts reset. Returns the notifications to hand to delivery.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> RetryChannelAsync(string communityId, string channel, Guid? notificationId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var query = db.NotificationDeliveries.Where(d => d.CommunityId == communityId && d.Channel == channel
            && (d.Status == DeliveryStatus.Failed || d.Status == DeliveryStatus.Skipped) && (notificationId == null || d.NotificationId == notificationId));
        var ids = await query.Select(d => d.NotificationId).ToListAsync(cancellationToken);
        await query.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.Attempts, 0)
            .SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.LastError, (string?)null), cancellationToken);
        return ids;
    }

    /// <summary>A test message from the admin page: a notification to the group (robots) or to the administrator (SMS, e-mail), on that channel only.</summary>
    public async Task<Guid> WriteTestMessageAsync(string communityId, string channel, string requestedBy, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var message = new Notification
        {
            Id = Guid.NewGuid(), CommunityId = communityId, UniqueKey = $"test/{communityId}/{channel}/{Guid.NewGuid():N}",
            RecipientId = ChannelNames.IsRobot(channel) ? ChannelNames.GroupRecipient : requestedBy,
            Template = "channel-test", DataJson = new JsonObject { ["kind"] = "channel-test", ["channel"] = channel }.ToJsonString(), CreatedAt = now,
        };
        db.Notifications.Add(message);
        db.NotificationDeliveries.Add(DeliveryPlan.NewDelivery(message, channel, now));
        await db.SaveChangesAsync(cancellationToken);
        return message.Id;
    }

    // ---- configuration and preferences ----

    public async Task<IReadOnlyList<CommunityChannel>> CommunityChannelsAsync(string communityId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.CommunityChannels.AsNoTracking().Where(c => c.CommunityId == communityId).OrderBy(c => c.Channel).ToListAsync(cancellationToken);
    }

    public async Task<CommunityChannel?> CommunityChannelAsync(string communityId, string channel, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.CommunityChannels.AsNoTracking().FirstOrDefaultAsync(c => c.CommunityId == communityId && c.Channel == channel, cancellationToken);
    }

    /// <summary>
    /// Saves a channel's settings. A null <paramref name="protectedWebhook"/> or <paramref name="protectedSecret"/> keeps
    /// the stored value (the page never shows it, so an empty field means "unchanged"); an empty string clears it.
    /// </summary>
    public async Task SaveCommunityChannelAsync(string communityId, string channel, bool enabled, string? protectedWebhook, string? protectedSecret,
        string? hint, string updatedBy, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.CommunityChannels.FirstOrDefaultAsync(c => c.CommunityId == communityId && c.Channel == channel, cancellationToken);
        if (row is null)
        {
            row = new CommunityChannel { CommunityId = communityId, Channel = channel };
            db.CommunityChannels.Add(row);
        }

        row.Enabled = enabled;
        if (protectedWebhook is not null)
        {
            row.ProtectedWebhook = protectedWebhook.Length == 0 ? null : protectedWebhook;
        }

        if (protectedSecret is not null)
        {
            row.ProtectedSecret = protectedSecret.Length == 0 ? null : protectedSecret;
        }

        if (hint is not null)
        {
            row.Hint = hint;
        }

        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedBy = updatedBy;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A person's e-mail address and mobile number from the directory.</summary>
    public async Task<(string? Email, string? Phone)> ContactAsync(string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => new { p.Email, p.Phone }).FirstOrDefaultAsync(cancellationToken);
        return (person?.Email, person?.Phone);
    }

    public async Task<NotificationPreference?> PreferenceAsync(string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.PersonId == personId, cancellationToken);
    }

    public async Task SavePreferenceAsync(string personId, IReadOnlyCollection<string> channels, bool digest, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.NotificationPreferences.FirstOrDefaultAsync(p => p.PersonId == personId, cancellationToken);
        if (row is null)
        {
            row = new NotificationPreference { PersonId = personId, Channels = "" };
            db.NotificationPreferences.Add(row);
        }

        row.Channels = string.Join(',', ChannelNames.Personal.Where(channels.Contains));
        row.Digest = digest;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<bool> InsertHealthAsync(WorkflowDbContext db, ChannelHealth row, CancellationToken cancellationToken)
    {
        db.ChannelHealth.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear(); // another host inserted it first
            return false;
        }
    }

    private async Task SettleAsync(WorkflowDbContext db, Guid notificationId, string channel, string status, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.NotificationDeliveries
            .Where(d => d.NotificationId == notificationId && d.Channel == channel && d.Status == DeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, status).SetProperty(d => d.LastError, reason)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null).SetProperty(d => d.NextAttemptAt, now), cancellationToken);
    }
}

/// <summary>A delivery on one channel this host now owns: everything needed to render and send it.</summary>
public sealed record ChannelDelivery(
    Guid NotificationId,
    string Channel,
    string CommunityId,
    string RecipientId,
    string? Email,
    string? Phone,
    string Language,
    string? NameZh,
    string? NameEn,
    string Template,
    JsonObject Data,
    DateTimeOffset CreatedAt,
    int Attempt);

public sealed record ChannelDeliveryView(Guid NotificationId, string Channel, string RecipientId, string Template, string Status, int Attempts,
    string? Address, string? LastError, string? ExternalId, string? Report, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt);
