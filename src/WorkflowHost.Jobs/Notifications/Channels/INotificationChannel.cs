using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>
/// One outside channel (e-mail, SMS, a group robot). It renders and sends one claimed delivery and says how it went;
/// it never touches the outbox (the dispatcher does), so a channel is a small class that only speaks its platform.
/// </summary>
public interface INotificationChannel
{
    /// <summary>One of <see cref="ChannelNames"/>.</summary>
    string Name { get; }

    Task<ChannelResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken);
}

public enum ChannelOutcome
{
    Sent,

    /// <summary>Nothing to send on this channel (not configured, no address): not a failure.</summary>
    Skipped,

    /// <summary>Worth trying again later: a 5xx, a timeout, the platform's rate limit.</summary>
    Transient,

    /// <summary>Will not get better by waiting: a revoked key, a bad signature, a number the gateway refuses.</summary>
    Permanent,
}

/// <summary>
/// What became of one send. <see cref="Address"/> is what may be shown and stored (a masked number, a webhook's host, never
/// its token). <see cref="ChannelFault"/>: the channel itself failed (its key, its server), not this one recipient, so
/// it counts towards "the channel keeps failing".
/// </summary>
public sealed record ChannelResult(
    ChannelOutcome Outcome,
    string Address,
    string? Error = null,
    string? ExternalId = null,
    string? Report = null,
    TimeSpan? RetryAfter = null,
    bool ChannelFault = false)
{
    public static ChannelResult Sent(string address, string? externalId = null, string? report = null) => new(ChannelOutcome.Sent, address, ExternalId: externalId, Report: report);

    public static ChannelResult Skipped(string reason) => new(ChannelOutcome.Skipped, "", reason);
}
