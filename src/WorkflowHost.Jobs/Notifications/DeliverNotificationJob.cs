using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowHost.Jobs.Notifications.Channels;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Notifications;

/// <summary>
/// Delivers one notification on each of its channels (e-mail, SMS, group robots), each on its own: claim the channel's
/// outbox row (so only one host sends it), wait out quiet hours where the channel must, send, record the result. A
/// failure is retried later with back-off (a delayed job, and the sweep); the last failure leaves it <c>failed</c> with
/// its error for administrators. A channel that keeps failing is reported to the administrators once; the others go on.
/// </summary>
public sealed class DeliverNotificationJob(
    ChannelOutbox outbox,
    IEnumerable<INotificationChannel> channels,
    QuietHours quietHours,
    ChannelOptions options,
    SmtpOptions smtp,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<DeliverNotificationJob> logger)
{
    /// <summary>Longer than any send; a host that died while sending leaves a claim that expires after it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

    [Queue(Scheduling.SchedulingOptions.Queue)]
    [AutomaticRetry(Attempts = 0)] // retries are ours: counted in the outbox, visible to administrators
    [JobDisplayName("Deliver notification {0}")]
    public async Task RunAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        foreach (var channel in await outbox.ChannelsDueAsync(notificationId, cancellationToken))
        {
            await DeliverAsync(notificationId, channel, cancellationToken);
        }
    }

    private async Task DeliverAsync(Guid notificationId, string channel, CancellationToken cancellationToken)
    {
        var delivery = await outbox.ClaimAsync(notificationId, channel, Lease, cancellationToken);
        if (delivery is null)
        {
            return;
        }

        // A test message is sent now: the administrator is looking at the page.
        if (delivery.Template != "channel-test" && options.QuietChannels.Contains(channel) && quietHours.HoldUntil(time.GetUtcNow()) is { } until)
        {
            await outbox.HoldAsync(notificationId, channel, until, $"quiet hours or a rest day: waits until {until:yyyy-MM-dd HH:mm} UTC", CancellationToken.None);
            jobs.Schedule<DeliverNotificationJob>(job => job.RunAsync(notificationId, CancellationToken.None), until);
            return;
        }

        if (!_channels.TryGetValue(channel, out var sender))
        {
            await outbox.MarkSkippedAsync(notificationId, channel, $"no channel '{channel}' in this host", CancellationToken.None);
            return;
        }

        ChannelResult result;
        try
        {
            result = await sender.SendAsync(delivery, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug in a channel must not hold back the others; the message says what failed, not what was sent.
            result = new ChannelResult(ChannelOutcome.Transient, "", $"{channel}: {e.GetType().Name}", ChannelFault: true);
        }

        switch (result.Outcome)
        {
            case ChannelOutcome.Sent:
                await outbox.MarkSentAsync(notificationId, channel, result.Address, result.ExternalId, result.Report, CancellationToken.None);
                if (channel != ChannelNames.Email)
                {
                    await outbox.RecordSuccessAsync(delivery.CommunityId, channel, CancellationToken.None);
                }

                break;
            case ChannelOutcome.Skipped:
                await outbox.MarkSkippedAsync(notificationId, channel, result.Error ?? "skipped", CancellationToken.None);
                break;
            default:
                await FailedAsync(delivery, result);
                break;
        }
    }

    private async Task FailedAsync(ChannelDelivery delivery, ChannelResult result)
    {
        var (notificationId, channel) = (delivery.NotificationId, delivery.Channel);
        var error = result.Error ?? "failed";
        var policy = channel == ChannelNames.Email ? new RetryPolicy(smtp.MaxAttempts, smtp.FirstRetryDelay, smtp.MaxRetryDelay) : options.RetryPolicy;
        var retryAt = await outbox.MarkFailedAsync(notificationId, channel, result.Address, error, delivery.Attempt, policy,
            result.Outcome == ChannelOutcome.Permanent, result.RetryAfter, CancellationToken.None);
        var label = channel == ChannelNames.Email ? "E-mail" : channel;
        if (retryAt is { } at)
        {
            logger.LogWarning("{Channel} {NotificationId} to {Recipient} failed (attempt {Attempt}); retrying at {RetryAt}: {Error}",
                label, notificationId, delivery.RecipientId, delivery.Attempt, at, error);
            jobs.Schedule<DeliverNotificationJob>(job => job.RunAsync(notificationId, CancellationToken.None), at);
        }
        else
        {
            logger.LogError("{Channel} {NotificationId} to {Recipient} failed {Attempts} times; giving up: {Error}",
                label, notificationId, delivery.RecipientId, delivery.Attempt, error);
        }

        if (!result.ChannelFault || channel == ChannelNames.Email)
        {
            return;
        }

        // One alert per outage: the health row's conditional update elects one message on one host to tell the administrators.
        if (await outbox.RecordChannelFailureAsync(delivery.CommunityId, channel, error, options.FailureThreshold, CancellationToken.None) is { } since)
        {
            logger.LogError("Channel {Channel} of community {Community} keeps failing since {Since}; administrators are told once: {Error}",
                channel, delivery.CommunityId, since, error);
            foreach (var alert in await outbox.AlertAdministratorsAsync(delivery.CommunityId, channel, since, error, AdministratorRole, CancellationToken.None))
            {
                jobs.Enqueue<DeliverNotificationJob>(job => job.RunAsync(alert, CancellationToken.None));
            }
        }
    }

    /// <summary>The directory role that is told about failing channels.</summary>
    public const string AdministratorRole = "administrator";
}
