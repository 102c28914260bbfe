namespace WorkflowHost.Jobs.Notifications;

/// <summary>
/// A case's result in words, for notices whose definition gave its end no label (and for a withdrawal, which ends at no
/// end activity). A result nobody foresaw is shown as it is rather than hidden.
/// </summary>
public sealed partial class NotificationTexts
{
    private static string ResultText(string? result, bool english) => (result, english) switch
    {
        (null or "", false) => "尚无结论",
        (null or "", true) => "no decision yet",
        ("withdrawn", false) => "已撤回",
        ("withdrawn", true) => "withdrawn",
        ("approved" or "adopted" or "passed", false) => "通过",
        ("approved" or "adopted" or "passed", true) => "approved",
        ("rejected" or "declined" or "not-adopted", false) => "未通过",
        ("rejected" or "declined" or "not-adopted", true) => "not approved",
        ("consent", false) => "同意",
        ("consent", true) => "consent",
        ("no-consent", false) => "不同意",
        ("no-consent", true) => "no consent",
        ("completed", false) => "已办结",
        ("completed", true) => "completed",
        _ => result,
    };
}
