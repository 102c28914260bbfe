using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Web;

/// <summary>
/// Texts of the review fixes: the link a notice carries besides its case (a unit's feedback letter), a case's result in
/// its definition's words, and a file an amendment removed.
/// </summary>
public sealed partial class Texts
{
    public string OpenNotificationLink => T("打开", "Open");

    /// <summary>
    /// A case's result as its definition labels it (已报到 for <c>registered</c>); the fixed words of
    /// <see cref="ResultOf(string?)"/> for a result no end of the definition labels, or when the definition is unknown.
    /// </summary>
    public string ResultOf(string? result, WorkflowDefinition? definition) =>
        ResultLabels.Find(definition, result)?.For(Language) ?? ResultOf(result);

    public string RosterFiltersNotApplied => T("筛选条件有误，未按任何条件筛选：名册显示全部成员。", "A filter is not valid, so none was applied: the roster shows every member.");
    public string RosterFilterNotApplied(string value) => F("“{0}”无效，未按此筛选。", "“{0}” is not valid and was not applied.", value);
    public string RemovedInAmendment(string when) => F("已于 {0} 修改材料时移除", "removed in the change of {0}", when);
}
