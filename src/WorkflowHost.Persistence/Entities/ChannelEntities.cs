namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// One outside channel of one community: a group robot (WeCom, DingTalk, Feishu) or SMS. The webhook URL and the signing
/// secret are stored protected (ASP.NET Core data protection, keys in this database) and are never read back out to a
/// page or an API answer; a value set in configuration or the environment takes precedence over the stored one.
/// </summary>
public sealed class CommunityChannel
{
    public required string CommunityId { get; init; }

    /// <summary>One of <see cref="Notifications.ChannelNames"/>.</summary>
    public required string Channel { get; init; }

    public bool Enabled { get; set; }

    /// <summary>The protected webhook URL (it carries the robot's access token), or null when it comes from configuration.</summary>
    public string? ProtectedWebhook { get; set; }

    /// <summary>The protected signing secret (DingTalk "加签", Feishu "签名校验"), or null.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>A harmless hint for the admin page: the host of the webhook and the last four characters of the secret.</summary>
    public string? Hint { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}

/// <summary>A person's choice of outside channels, and whether they want one daily digest instead of single messages.</summary>
public sealed class NotificationPreference
{
    public required string PersonId { get; init; }

    /// <summary>Comma-separated <see cref="Notifications.ChannelNames"/> (e-mail, sms); in-app is always on.</summary>
    public required string Channels { get; set; }

    public bool Digest { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// How one channel of one community is doing: consecutive failures since the last success, and whether administrators
/// were told. The alert is claimed by a conditional update, so it is sent once per outage, not once per message.
/// </summary>
public sealed class ChannelHealth
{
    public required string CommunityId { get; init; }

    public required string Channel { get; init; }

    public int ConsecutiveFailures { get; set; }

    public DateTimeOffset? FailingSince { get; set; }

    public DateTimeOffset? AlertedAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }
}
