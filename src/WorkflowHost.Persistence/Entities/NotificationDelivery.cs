namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// The outbox state of one notification on one outside channel (e-mail). Written in the same transaction as the
/// <see cref="Notification"/> it delivers; the in-app channel is the notification row itself (read/unread).
/// A delivery is claimed before it is sent (<see cref="LeaseUntil"/>), so two hosts never send it both.
/// </summary>
public sealed class NotificationDelivery
{
    public required Guid NotificationId { get; init; }

    public required string Channel { get; init; }

    public required string CommunityId { get; init; }

    /// <summary>One of <see cref="DeliveryStatus"/>.</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    public required DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>While <c>sending</c>: until when the claim holds; a claim left by a host that died expires.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The address used for the last attempt.</summary>
    public string? Address { get; set; }

    /// <summary>Why the last attempt failed, or why the delivery was skipped or suppressed.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The platform's id for the message (an SMS gateway's message id), where it returns one.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The delivery report, where the platform returns one (e.g. an SMS gateway's <c>delivered</c>).</summary>
    public string? Report { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The outside channels a <see cref="NotificationDelivery"/> goes out on.</summary>
public static class DeliveryChannel
{
    public const string Email = "email";
}

/// <summary>The stored states of a <see cref="NotificationDelivery"/>.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";

    /// <summary>Claimed by a host that is sending it now (until its lease runs out).</summary>
    public const string Sending = "sending";

    public const string Sent = "sent";

    /// <summary>Nothing to send on this channel: no address, or no SMTP server configured.</summary>
    public const string Skipped = "skipped";

    /// <summary>No longer relevant when its turn came (the step closed, the member voted): not sent.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>Every attempt failed; administrators see it with the last error.</summary>
    public const string Failed = "failed";
}
