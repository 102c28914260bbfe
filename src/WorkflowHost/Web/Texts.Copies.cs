namespace WorkflowHost.Web;

/// <summary>Texts of copying people on a case (抄送) and of the list of cases copied to the reader.</summary>
public sealed partial class Texts
{
    public string CopyRefusalText(string code) => code switch
    {
        "alreadyCopied" => T("所选人员中有人已被抄送。", "Someone you chose is already copied on this case."),
        "forbidden" => T("您不能抄送此件，或所选人员不在本流程允许抄送的范围内。", "You cannot copy this case, or someone you chose may not be copied on it."),
        _ => CaseRefusalText(code),
    };

    public string Copies => T("抄送记录", "Copied to");
    public string CopyCase => T("抄送", "Copy");
    public string CopyHelp => T("被抄送人可查阅本件并在办结时收到结果通知，无需办理。", "The people you copy can read this case and are told its outcome; they have nothing to do.");
    public string CopyTo => T("抄送给", "Copy to");
    public string CopiedTo => T("抄送对象", "Copied");
    public string CopiedBy => T("抄送人", "By");
    public string CopyNote => T("说明", "Note");
    public string CopyNoteOptional => T("说明（可选）", "Note (optional)");
    public string CopiedToMe => T("抄送我的", "Copied to me");
    public string NothingCopied => T("暂无抄送给您的事项。", "Nothing has been copied to you.");
    public string CopiedByOn(string name, string time) => F("{0} 于 {1} 抄送", "Copied by {0} on {1}", name, time);
}
