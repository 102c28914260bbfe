using System.Globalization;
using FluentValidation;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>
/// The outside channels beyond e-mail, bound from <c>Channels</c> in appsettings.json (or the environment:
/// <c>Channels__Communities__binhe__dingtalk__Secret</c>). Secrets set here win over the ones saved on the admin page and
/// are never shown there; neither kind is ever logged.
/// </summary>
public sealed class ChannelOptions
{
    public const string Section = "Channels";

    /// <summary>Local time (HH:mm, the calendar's time zone) at which quiet hours begin.</summary>
    public string QuietFrom { get; set; } = "22:00";

    /// <summary>Local time (HH:mm) at which quiet hours end on a working day: "the next working morning".</summary>
    public string QuietUntil { get; set; } = "07:30";

    /// <summary>
    /// The channels that wait out quiet hours and rest days. Default: the ones that buzz a phone (SMS, group robots).
    /// Add <c>email</c> to hold e-mail too.
    /// </summary>
    public List<string> QuietChannels { get; set; } = [ChannelNames.Sms, ChannelNames.WeCom, ChannelNames.DingTalk, ChannelNames.Feishu];

    /// <summary>Local time (HH:mm) of the daily digest on working days.</summary>
    public string DigestAt { get; set; } = "08:00";

    /// <summary>Consecutive failures of one channel of one community before administrators are told (once per outage).</summary>
    public int FailureThreshold { get; set; } = 3;

    public int MaxAttempts { get; set; } = 6;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public SmsGatewayOptions Sms { get; set; } = new();

    /// <summary>Per community and channel (<c>wecom</c>, <c>dingtalk</c>, <c>feishu</c>, <c>sms</c>): webhook and secret.</summary>
    public Dictionary<string, Dictionary<string, ChannelEndpointOptions>> Communities { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeOnly QuietFromTime => TimeOnly.ParseExact(QuietFrom, "HH:mm", CultureInfo.InvariantCulture);

    public TimeOnly QuietUntilTime => TimeOnly.ParseExact(QuietUntil, "HH:mm", CultureInfo.InvariantCulture);

    public TimeOnly DigestAtTime => TimeOnly.ParseExact(DigestAt, "HH:mm", CultureInfo.InvariantCulture);

    public Persistence.Instances.RetryPolicy RetryPolicy => new(MaxAttempts, FirstRetryDelay, MaxRetryDelay);

    public ChannelEndpointOptions? Endpoint(string communityId, string channel) =>
        Communities.TryGetValue(communityId, out var channels)
        && channels.FirstOrDefault(c => string.Equals(c.Key, channel, StringComparison.OrdinalIgnoreCase)).Value is { } endpoint
            ? endpoint
            : null;
}

public sealed class ChannelEndpointOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The robot's webhook URL (it carries the access token).</summary>
    public string? Webhook { get; set; }

    /// <summary>The signing secret (DingTalk 加签 <c>SEC…</c>, Feishu 签名校验).</summary>
    public string? Secret { get; set; }
}

/// <summary>A generic HTTP SMS gateway: template id and parameters, requests signed with HMAC-SHA256.</summary>
public sealed class SmsGatewayOptions
{
    /// <summary>The send endpoint, e.g. <c>https://sms.example.cn/v1/messages</c>. Without it SMS is off (skipped).</summary>
    public string? Endpoint { get; set; }

    public string? AppId { get; set; }

    public string? Secret { get; set; }

    /// <summary>The gateway's template id per notification template (<c>reminder</c>, <c>escalation</c>, <c>digest</c>, <c>notice</c> for the rest).</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);
}

public sealed class ChannelOptionsValidator : AbstractValidator<ChannelOptions>
{
    public ChannelOptionsValidator()
    {
        RuleFor(o => o.QuietFrom).Must(BeTime).WithMessage("HH:mm");
        RuleFor(o => o.QuietUntil).Must(BeTime).WithMessage("HH:mm");
        RuleFor(o => o.DigestAt).Must(BeTime).WithMessage("HH:mm");
        RuleForEach(o => o.QuietChannels).Must(c => ChannelNames.All.Contains(c)).WithMessage($"one of {string.Join(", ", ChannelNames.All)}");
        RuleFor(o => o.FailureThreshold).InclusiveBetween(1, 100);
        RuleFor(o => o.MaxAttempts).InclusiveBetween(1, 50);
        RuleFor(o => o.FirstRetryDelay).InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        RuleFor(o => o.MaxRetryDelay).GreaterThanOrEqualTo(o => o.FirstRetryDelay);
        RuleFor(o => o.Timeout).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        When(o => o.Sms.Enabled, () =>
        {
            RuleFor(o => o.Sms.Endpoint).Must(BeHttpUrl).WithMessage("an absolute http(s) URL");
            RuleFor(o => o.Sms.AppId).NotEmpty();
            RuleFor(o => o.Sms.Secret).NotEmpty();
        });
        RuleForEach(o => o.Communities).Must(c => c.Value.Keys.All(k => ChannelNames.All.Contains(k.ToLowerInvariant()) && !string.Equals(k, ChannelNames.Email, StringComparison.OrdinalIgnoreCase)))
            .WithMessage("channels per community are wecom, dingtalk, feishu or sms");
        RuleForEach(o => o.Communities).Must(c => c.Value.Values.All(e => e.Webhook is null || BeHttpUrl(e.Webhook)))
            .WithMessage("a webhook must be an absolute http(s) URL");
    }

    private static bool BeTime(string value) => TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool BeHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
