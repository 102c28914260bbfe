using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Jobs.Notifications;

/// <summary>A notification as a person reads it: subject and body in their language.</summary>
public sealed record RenderedText(string Subject, string Body);

/// <summary>
/// The texts of the notifications the engine asks for, in Simplified Chinese (the default) and English, chosen by the
/// recipient's language. Times are shown in the calendar's time zone. Unknown templates (a <c>notify</c> activity's own)
/// use the message the definition gave.
/// </summary>
public sealed partial class NotificationTexts(TimeZoneInfo timeZone)
{
    public RenderedText Render(string template, string? language, JsonObject data, string? recipientName)
    {
        var english = LocalizedText.IsEnglish(language);
        var process = Text(data, "processName", english) ?? Text(data, "process", english) ?? "";
        var activity = Text(data, "activityName", english) ?? data["activity"]?.GetValue<string>() ?? "";
        var due = Due(data, english);
        var isBallot = data["bookmarkKind"]?.GetValue<string>() == "ballot";
        var notActed = data["notActed"]?.GetValue<int>() ?? 0;
        var reason = data["reason"]?.GetValue<string>();
        var name = string.IsNullOrWhiteSpace(recipientName) ? null : recipientName;
        var result = Text(data, "resultLabel", english) ?? ResultText(data["result"]?.GetValue<string>(), english);

        var (subject, body) = (template, english) switch
        {
            ("reminder", false) => ($"【提醒】「{activity}」将于{due}截止",
                $"「{process}」中的「{activity}」尚待您{(isBallot ? "表决" : "办理")}，截止时间为{due}（北京时间）。请及时登录系统{(isBallot ? "表决" : "办理")}。"),
            ("reminder", true) => ($"Reminder: \"{activity}\" is due {due}",
                $"\"{activity}\" in \"{process}\" is still waiting for your {(isBallot ? "vote" : "action")}. It is due {due} (China Standard Time)."),
            ("escalation", false) => ($"【逾期】「{activity}」已到期，{notActed}人未{(isBallot ? "表决" : "办理")}",
                $"「{process}」中的「{activity}」已于{due}到期，仍有{notActed}人未{(isBallot ? "表决" : "办理")}。请督促办理，或由书记延长期限。"),
            ("escalation", true) => ($"Overdue: \"{activity}\" ({notActed} not yet {(isBallot ? "voted" : "done")})",
                $"\"{activity}\" in \"{process}\" was due {due}; {notActed} {(notActed == 1 ? "person has" : "people have")} not {(isBallot ? "voted" : "acted")} yet. Please follow it up, or have the secretary extend the deadline."),
            ("deadline-extended", false) => ($"【延期】「{activity}」截止时间延长至{due}",
                $"「{process}」中的「{activity}」截止时间已延长至{due}（北京时间）。理由：{reason}"),
            ("deadline-extended", true) => ($"Extended: \"{activity}\" is now due {due}",
                $"The deadline of \"{activity}\" in \"{process}\" was extended to {due} (China Standard Time). Reason: {reason}"),
            ("task-transferred", false) => ($"【转交】「{activity}」已转交您办理",
                $"「{process}」中的「{activity}」已转交给您办理，截止时间为{due}（北京时间）。转交原因：{reason}"),
            ("task-transferred", true) => ($"Transferred: \"{activity}\" is now yours",
                $"\"{activity}\" in \"{process}\" was transferred to you; it is due {due} (China Standard Time). Reason: {reason}"),
            ("task-delegated", false) => ($"【委派】请准备「{activity}」",
                $"「{process}」中的「{activity}」委派您准备，准备后请交回办理人。说明：{reason}"),
            ("task-delegated", true) => ($"Delegated: please prepare \"{activity}\"",
                $"You were asked to prepare \"{activity}\" in \"{process}\" and hand it back to its holder. Note: {reason}"),
            ("task-returned", false) => ($"【交回】「{activity}」已准备好",
                $"「{process}」中的「{activity}」已由同事准备并交回，请您办理。说明：{reason}"),
            ("task-returned", true) => ($"Handed back: \"{activity}\" is prepared",
                $"\"{activity}\" in \"{process}\" was prepared by a colleague and handed back to you. Note: {reason}"),
            ("task-routed-to-deputy", false) => ($"【代理】「{activity}」转由您办理",
                $"「{process}」中的「{activity}」原由 {reason} 办理，因其请假转由您代理办理，截止时间为{due}（北京时间）。"),
            ("task-routed-to-deputy", true) => ($"Deputy: \"{activity}\" is now yours",
                $"\"{activity}\" in \"{process}\" was for {reason}, who is on leave; as their deputy it is yours now. It is due {due} (China Standard Time)."),
            ("case-copied", false) => ($"【抄送】「{process}」",
                $"您被抄送了一件「{process}」，可登录系统查阅，办结时将通知您结果（无需您办理）。说明：{reason}"),
            ("case-copied", true) => ($"Copied: \"{process}\"",
                $"You were copied on a case of \"{process}\". You can read it, and you will be told its outcome; there is nothing for you to do. Note: {reason}"),
            ("case-outcome", false) => ($"【办结】抄送您的「{process}」已办结",
                $"抄送您的「{process}」已办结，结果：{result}。请登录系统查阅。"),
            ("case-outcome", true) => ($"Ended: \"{process}\", which you were copied on",
                $"The case of \"{process}\" you were copied on has ended; result: {result}."),
            ("case-copy-withdrawn", false) => ($"【撤回抄送】「{process}」", $"抄送您的「{process}」已被撤回，{StillReads(data, english)}原因：{reason}"),
            ("case-copy-withdrawn", true) => ($"Copy withdrawn: \"{process}\"", $"Your copy of a case of \"{process}\" was withdrawn; {StillReads(data, english)}Reason: {reason}"),
            ("case-reading-ended", false) => ($"【结束查阅】「{process}」", $"您曾受委派准备的「{process}」，查阅权限已结束，{StillReads(data, english)}原因：{reason}"),
            ("case-reading-ended", true) => ($"Reading ended: \"{process}\"", $"Your reading of the case of \"{process}\" you prepared a task for has ended; {StillReads(data, english)}Reason: {reason}"),
            (_, false) => ($"【通知】{process}", Text(data, "message", english) ?? $"「{process}」有一条新通知。"),
            (_, true) => ($"Notice: {process}", Text(data, "message", english) ?? $"There is a new notice in \"{process}\"."),
        };

        var greeting = english ? $"Dear {name ?? "colleague"}," : $"{name ?? ""}您好：";
        var footer = english ? "This message was sent automatically by WorkflowHost; please do not reply." : "此邮件由系统自动发送，请勿回复。";
        return new RenderedText(subject, $"{greeting}\n\n{body}\n\n{footer}\n");
    }

    /// <summary>After read access was taken back (decision 139): whether the person still reads the case on another ground.</summary>
    private static string StillReads(JsonObject data, bool english) => (data["stillReads"]?.GetValue<bool>() == true, english) switch
    {
        (true, false) => "您因其他依据仍可查阅此件。",
        (true, true) => "you still read it on another ground. ",
        (false, false) => "您已不能再查看此件。",
        (false, true) => "you can no longer open it. ",
    };

    private string Due(JsonObject data, bool english)
    {
        if (data["dueAt"] is not JsonValue value || !value.TryGetValue<DateTimeOffset>(out var dueAt)
            && !(value.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out dueAt)))
        {
            return english ? "(no deadline)" : "（无期限）";
        }

        var local = TimeZoneInfo.ConvertTime(dueAt, timeZone);
        return english
            ? local.ToString("d MMMM yyyy HH:mm", CultureInfo.GetCultureInfo("en-GB"))
            : local.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);
    }

    private static string? Text(JsonObject data, string key, bool english) =>
        (english ? data[$"{key}.en"] : data[$"{key}.zh-CN"])?.GetValue<string>()
        ?? data[$"{key}.zh-CN"]?.GetValue<string>()
        ?? (data[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null);
}
