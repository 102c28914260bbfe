using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>A message as a channel shows it: a title and lines (markdown-safe plain text; each channel adds its own markup).</summary>
public sealed record ChannelText(string Title, IReadOnlyList<string> Lines)
{
    public string PlainBody => string.Join("\n", Lines);
}

/// <summary>
/// The texts of the channels. Personal messages (reminders, escalations, extensions, a definition's own notices) are the
/// e-mail texts; the channels' own templates are here: announcements to a group (process and activity names, outcome,
/// deadline; never a total, a voter or a choice), the daily digest, the "channel failing" notice and the test message.
/// </summary>
public sealed class ChannelTexts(NotificationTexts texts, DefinitionCatalog catalog, TimeZoneInfo timeZone)
{
    public ChannelText Render(ChannelDelivery delivery)
    {
        var english = WorkflowHost.Engine.Definitions.LocalizedText.IsEnglish(delivery.Language);
        var data = delivery.Data;
        switch (delivery.Template)
        {
            case ChannelNames.AnnouncementTemplate:
                return Announcement(data);
            case ChannelNames.DigestTemplate:
                return Digest(data, english);
            case ChannelNames.ChannelFailingTemplate:
                var channel = data["channel"]?.GetValue<string>() ?? "";
                return english
                    ? new ChannelText($"Channel failing: {channel}", [$"Messages on {channel} keep failing since {Time(data["since"], true)}.", $"Last error: {data["error"]?.GetValue<string>()}", "Other channels keep working. Fix the key on the channels page, then retry."])
                    : new ChannelText($"【通道故障】{channel}", [$"{channel} 通道自{Time(data["since"], false)}起持续发送失败。", $"最近错误：{data["error"]?.GetValue<string>()}", "其他通道照常工作。请在通道管理页修正密钥后重试。"]);
            case "channel-test":
                return new ChannelText("【测试】WorkflowHost 通道测试", [$"这是一条测试消息（{data["channel"]?.GetValue<string>()}），收到即表示配置正确。"]);
            default:
                var name = english ? delivery.NameEn : delivery.NameZh;
                var text = texts.Render(delivery.Template, delivery.Language, data, name);
                return new ChannelText(text.Subject, [.. text.Body.Split('\n').Where(l => l.Length > 0)]);
        }
    }

    /// <summary>The short facts an SMS template is filled with: names and times only.</summary>
    public IReadOnlyDictionary<string, string> SmsParameters(ChannelDelivery delivery)
    {
        var data = delivery.Data;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (delivery.Template == ChannelNames.DigestTemplate)
        {
            var open = data["open"] as JsonArray ?? [];
            result["open"] = open.Count.ToString(CultureInfo.InvariantCulture);
            result["overdue"] = open.Count(o => o?["overdue"]?.GetValue<bool>() == true).ToString(CultureInfo.InvariantCulture);
            result["decided"] = ((data["decided"] as JsonArray)?.Count ?? 0).ToString(CultureInfo.InvariantCulture);
            return result;
        }

        result["process"] = Cut(Value(data, "processName.zh-CN") ?? ProcessName(Value(data, "process")) ?? "", 20);
        result["activity"] = Cut(Value(data, "activityName.zh-CN") ?? ActivityName(Value(data, "process"), Value(data, "activity")) ?? "", 20);
        if (data["dueAt"] is not null)
        {
            result["due"] = Time(data["dueAt"], false);
        }

        if (data["notActed"] is JsonValue notActed)
        {
            result["count"] = notActed.ToJsonString();
        }

        return result;
    }

    private ChannelText Announcement(JsonObject data)
    {
        var process = ProcessName(Value(data, "process")) ?? Value(data, "process") ?? "";
        var activity = ActivityName(Value(data, "process"), Value(data, "activity")) ?? Value(data, "activity") ?? "";
        return Value(data, "event") switch
        {
            "ballot-opened" => new ChannelText($"【表决开始】{process}", [
                $"事项：{activity}",
                data["dueAt"] is { } due ? $"截止：{Time(due, false)}（北京时间）" : "截止：无期限",
                data["secret"]?.GetValue<bool>() == true ? "方式：无记名表决" : "方式：记名表决",
                "请委员登录系统表决。"]),
            "decision" => new ChannelText($"【已决定】{process}", [$"事项：{activity}", $"结果：{Outcome(Value(data, "outcome"))}"]),
            _ => new ChannelText($"【通知】{process}", [activity]),
        };
    }

    private ChannelText Digest(JsonObject data, bool english)
    {
        var open = (data["open"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var decided = (data["decided"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var overdue = open.Count(o => o["overdue"]?.GetValue<bool>() == true);
        var lines = new List<string>();
        lines.Add(english ? $"Open: {open.Count} (overdue: {overdue}). Decided on your cases: {decided.Count}." : $"待办 {open.Count} 项（逾期 {overdue} 项），您发起的事项有 {decided.Count} 项已有结果。");
        foreach (var item in open)
        {
            var name = ActivityName(null, Value(item, "activity")) ?? Value(item, "activity");
            var due = item["dueAt"] is { } d ? Time(d, english) : (english ? "no deadline" : "无期限");
            lines.Add($"{(item["overdue"]?.GetValue<bool>() == true ? (english ? "[overdue] " : "【逾期】") : "· ")}{name} — {due}");
        }

        foreach (var item in decided)
        {
            lines.Add($"{(english ? "Decided: " : "已决定：")}{ProcessName(Value(item, "process")) ?? Value(item, "process")} · {ActivityName(Value(item, "process"), Value(item, "activity")) ?? Value(item, "activity")}: {Outcome(Value(item, "outcome"))}");
        }

        return new ChannelText(english ? "Your daily digest" : "【每日汇总】", lines);
    }

    private static string Outcome(string? outcome) => outcome switch
    {
        "approve" or "approved" or "passed" or "pass" => "通过",
        "reject" or "rejected" or "failed" or "fail" => "未通过",
        null => "",
        _ => outcome,
    };

    private string? ProcessName(string? definitionId) =>
        definitionId is null ? null : catalog.Current(definitionId)?.Name.ZhCn;

    private string? ActivityName(string? definitionId, string? activityId)
    {
        if (activityId is null)
        {
            return null;
        }

        var definitions = definitionId is not null && catalog.Current(definitionId) is { } one ? [one] : catalog.Published;
        return definitions.Select(d => d.FindActivity(activityId)?.Name?.ZhCn).FirstOrDefault(n => n is not null);
    }

    private string Time(JsonNode? value, bool english)
    {
        if (value is not JsonValue v || !(v.TryGetValue<DateTimeOffset>(out var at)
            || (v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))))
        {
            return "";
        }

        var local = TimeZoneInfo.ConvertTime(at, timeZone);
        return english ? local.ToString("d MMM yyyy HH:mm", CultureInfo.GetCultureInfo("en-GB")) : local.ToString("M月d日 HH:mm", CultureInfo.InvariantCulture);
    }

    private static string? Value(JsonObject data, string key) => data[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>Escapes what a robot's markdown would read as markup in a line of ours (names come from definitions and the directory).</summary>
    public static string MarkdownSafe(string line)
    {
        var builder = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (c is '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
