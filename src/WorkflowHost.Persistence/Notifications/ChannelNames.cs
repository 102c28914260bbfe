namespace WorkflowHost.Persistence.Notifications;

/// <summary>The outside channels a notification can go out on; in-app is the notification row itself.</summary>
public static class ChannelNames
{
    public const string Email = Entities.DeliveryChannel.Email;
    public const string Sms = "sms";
    public const string WeCom = "wecom";
    public const string DingTalk = "dingtalk";
    public const string Feishu = "feishu";

    /// <summary>The recipient of an announcement: the community's group chat(s), not a person.</summary>
    public const string GroupRecipient = "#group";

    /// <summary>Templates written by the channels themselves (not by the engine).</summary>
    public const string AnnouncementTemplate = "announcement";
    public const string DigestTemplate = "digest";
    public const string ChannelFailingTemplate = "channel-failing";

    public static readonly IReadOnlyList<string> Robots = [WeCom, DingTalk, Feishu];

    /// <summary>The channels a person can choose for themselves.</summary>
    public static readonly IReadOnlyList<string> Personal = [Email, Sms];

    public static readonly IReadOnlyList<string> All = [Email, Sms, WeCom, DingTalk, Feishu];

    public static bool IsRobot(string channel) => Robots.Contains(channel);

    /// <summary>The channels a person has when they never chose: e-mail, as before channels existed.</summary>
    public static readonly IReadOnlyList<string> PersonalDefault = [Email];

    public static IReadOnlyList<string> Parse(string? csv) =>
        [.. (csv ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(c => Personal.Contains(c)).Distinct()];
}
