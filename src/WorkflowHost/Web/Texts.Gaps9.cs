namespace WorkflowHost.Web;

/// <summary>Texts of the instance page as a reader sees it when their reading of a case was taken back (a copy withdrawn, a delegate's reading ended).</summary>
public sealed partial class Texts
{
    public string ReadingTakenBackTitle => T("无法查看此件", "You can no longer open this case");

    public string CopyWithdrawnAt(string process, string time) =>
        F("「{0}」的抄送已于 {1} 撤回，您不能再查看此件。", "Your copy of the case of \"{0}\" was withdrawn on {1}; you can no longer open it.", process, time);

    public string ReadingEndedAt(string process, string time) =>
        F("您对「{0}」的查阅权限已于 {1} 结束，您不能再查看此件。", "Your reading of the case of \"{0}\" ended on {1}; you can no longer open it.", process, time);

    public string ReadingTakenBackHelp => T("撤回原因见通知。如仍需了解此件，请联系提交单位或党委办公室。",
        "The reason is in your notifications. If you still need this case, ask the submitting unit or the committee office.");
}
