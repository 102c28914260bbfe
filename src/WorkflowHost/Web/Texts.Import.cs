namespace WorkflowHost.Web;

/// <summary>The texts of the community import (/admin/directory/import) and its template.</summary>
public sealed partial class Texts
{
    public string Import => T("批量导入", "Import");
    public string ImportTitle => T("从表格导入社区名录", "Import a community from a spreadsheet");
    public string ImportIntro => T(
        "下载模板，填写驻区单位、人员及角色、党委委员，上传后先预览，确认无误再导入。有任何一行有误，都不会写入。同一文件重复导入不会产生变化。",
        "Download the template, fill in the units, people with their roles and the committee, upload it and preview; then import. If any row is wrong nothing is written. Importing the same file again changes nothing.");
    public string DownloadTemplateXlsx => T("下载模板（.xlsx）", "Download the template (.xlsx)");
    public string DownloadTemplateCsv => T("下载模板（CSV）", "Download the template (CSV)");
    public string ImportFileLabel => T("文件（.xlsx 或 UTF-8 编码的 CSV，不超过 512 KB）", "File (.xlsx or UTF-8 CSV, at most 512 KB)");
    public string ImportPreview => T("预览", "Preview");
    public string ImportCommit => T("确认导入", "Import");
    public string ImportErrors => T("以下各行有误，未写入任何内容：", "These rows are wrong; nothing was written:");
    public string ImportSheet => T("工作表", "Sheet");
    public string ImportRow => T("行", "Row");
    public string ImportColumn => T("列", "Column");
    public string ImportReason => T("原因", "Reason");
    public string ImportRecord => T("记录", "Record");
    public string ImportOutcome => T("结果", "Outcome");
    public string ImportChanges => T("变化的列", "Changed columns");
    public string ImportNoFile => T("请选择要导入的文件。", "Choose a file to import.");
    public string ImportPreviewed(int added, int changed, int unchanged) =>
        F("预览：新增 {0} 条，修改 {1} 条，不变 {2} 条。尚未写入。", "Preview: {0} to add, {1} to change, {2} unchanged. Nothing is written yet.", added, changed, unchanged);
    public string ImportCommitted(int added, int changed, int unchanged, int entries) =>
        F("已导入：新增 {0} 条，修改 {1} 条，不变 {2} 条，记录变更 {3} 条。", "Imported: {0} added, {1} changed, {2} unchanged; {3} changes journaled.", added, changed, unchanged, entries);
    public string ImportInstructionsSheet => T("说明", "Instructions");

    public IReadOnlyList<string> ImportInstructions =>
    [
        T("本模板用于导入一个社区的驻区单位、人员及角色、党委届次和委员。", "This template imports one community's resident units, people with their roles, and its committee term and members."),
        T("以 # 开头的行不导入：第一行是填写说明，第二行是示例；删除示例开头的 # 即会导入该行。", "Rows starting with # are not imported: the first is the hints, the second an example; delete its # to import it."),
        T("日期写作 2026-01-15。编号用小写字母、数字和连字符，人员编号也是登录用户名。", "Write dates as 2026-01-15. Ids are lower-case letters, digits and dashes; a person's id is also their user name."),
        T("已有的记录按编号比对：相同则不变，不同则修改。导入只新增和修改，不会结束单位、角色或停用人员。", "Existing records are matched by id: the same stays, a difference is changed. An import only adds and changes; it never ends a unit or role, nor deactivates anyone."),
        T("党委委员表只填一届：与当前届次相同则不变；届次更高则换届。", "The committee sheet holds one term: the current term as it is stays; a higher number starts a new term."),
        T("CSV 文件须为 UTF-8 编码，各表之间空一行。", "A CSV file must be UTF-8, with a blank line between the tables."),
    ];

    public string ImportOutcomeName(string outcome) => outcome switch
    {
        "added" => T("新增", "add"),
        "changed" => T("修改", "change"),
        "unchanged" => T("不变", "unchanged"),
        _ => outcome,
    };

    public string ImportTableName(string table) => table switch
    {
        "units" => T("驻区单位", "Unit"),
        "people" => T("人员", "Person"),
        "committee" => T("党委届次", "Committee term"),
        _ => table,
    };
}
