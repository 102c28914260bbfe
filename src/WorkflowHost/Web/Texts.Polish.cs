namespace WorkflowHost.Web;

/// <summary>Texts of the review fixes: the link a notice carries besides its case (a unit's feedback letter).</summary>
public sealed partial class Texts
{
    public string OpenNotificationLink => T("打开", "Open");
}
