namespace WorkflowHost.Features.Communities.Import;

/// <summary>One column of an import table: its key, its header in Chinese and in English, and a hint for the template.</summary>
public sealed record ImportColumn(string Key, string Zh, string En, bool Required, string HintZh, string HintEn, string Example)
{
    public string Header(bool english) => english ? En : Zh;

    public string Hint(bool english) => english ? HintEn : HintZh;
}

/// <summary>One table of the import (a sheet of the .xlsx, a section of the CSV), recognised by its header row.</summary>
public sealed record ImportShape(string Key, string SheetZh, string SheetEn, IReadOnlyList<ImportColumn> Columns)
{
    public string Sheet(bool english) => english ? SheetEn : SheetZh;

    /// <summary>A header cell in either language (a Chinese template filled in by an English reader is still read).</summary>
    public ImportColumn? ColumnFor(string header) => Columns.FirstOrDefault(c =>
        string.Equals(c.Zh, header, StringComparison.OrdinalIgnoreCase) || string.Equals(c.En, header, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(c.Key, header, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The three tables of a community's import: resident units, people with their roles, and the committee term with its
/// members. Each table's first column is its id column, whose header tells the tables apart.
/// </summary>
public static class ImportShapes
{
    public static readonly ImportShape Units = new("units", "驻区单位", "Units",
    [
        new("unitId", "单位编号", "Unit id", true, "必填，小写字母、数字和连字符", "Required: lower-case letters, digits, dashes", "unit-xinhua-clinic"),
        new("nameZh", "单位名称（中文）", "Name (Chinese)", true, "必填", "Required", "新华社区卫生服务站"),
        new("nameEn", "单位名称（英文）", "Name (English)", true, "必填", "Required", "Xinhua Community Clinic"),
        new("kind", "单位类型", "Kind", true, "机关/企业/学校/医院/事业单位/其他", "agency, company, school, hospital, public-institution, other", "hospital"),
        new("joinedOn", "加入日期", "Joined", true, "必填，如 2026-01-15", "Required, e.g. 2026-01-15", "2026-01-15"),
        new("agreementSignedOn", "共建协议签订日期", "Agreement signed", false, "选填；填写则须有协议内容", "Optional; needs the agreement text", "2026-01-15"),
        new("agreementText", "共建协议内容", "Agreement text", false, "选填", "Optional", "党员共管、设施共享。"),
    ]);

    public static readonly ImportShape People = new("people", "人员", "People",
    [
        new("personId", "人员编号", "Person id", true, "必填，也是登录用户名", "Required; also the user name", "p-liaison-zhao"),
        new("nameZh", "姓名（中文）", "Name (Chinese)", true, "必填", "Required", "赵敏"),
        new("nameEn", "姓名（英文）", "Name (English)", true, "必填", "Required", "Zhao Min"),
        new("unitId", "所在单位编号", "Unit id", false, "单位联络员必填", "Required for a unit liaison", "unit-xinhua-clinic"),
        new("titleZh", "职务（中文）", "Title (Chinese)", false, "选填", "Optional", "办公室主任"),
        new("titleEn", "职务（英文）", "Title (English)", false, "选填", "Optional", "Office head"),
        new("email", "电子邮箱", "E-mail", false, "选填", "Optional", "zhao@example.org"),
        new("phone", "电话", "Phone", false, "选填，数字", "Optional, digits", "13800000000"),
        new("language", "界面语言", "Language", false, "zh-CN 或 en，默认 zh-CN", "zh-CN or en; zh-CN when empty", "zh-CN"),
        new("roles", "角色", "Roles", false, "多个用分号分隔；党委委员填在党委委员表", "Separated by ';'; committee members go on the committee sheet", "unit-liaison"),
        new("rolesFrom", "角色起始日期", "Roles from", false, "新授角色的起始日期，默认今天", "Start of newly granted roles; today when empty", "2026-01-15"),
    ]);

    public static readonly ImportShape Committee = new("committee", "党委委员", "Committee",
    [
        new("term", "届次", "Term", true, "必填，数字；所有行相同", "Required, a number; the same on every row", "1"),
        new("startsOn", "本届开始日期", "Term starts", true, "必填；所有行相同", "Required; the same on every row", "2026-01-01"),
        new("personId", "人员编号", "Person id", true, "必填，须在人员表或名录中", "Required; on the people sheet or in the directory", "p-member-zhou"),
        new("memberKind", "专职/兼职", "Full- or part-time", true, "专职 或 兼职", "full-time or part-time", "兼职"),
        new("unitId", "所在单位编号", "Unit id", false, "兼职委员必填", "Required for a part-time member", "unit-xinhua-clinic"),
    ]);

    public static readonly IReadOnlyList<ImportShape> All = [Units, People, Committee];

    /// <summary>The table whose id column heads this row, or null: the instructions sheet, or a header we do not know.</summary>
    public static ImportShape? Recognise(string firstHeader) =>
        All.FirstOrDefault(s => string.Equals(s.Columns[0].Zh, firstHeader, StringComparison.OrdinalIgnoreCase) ||
                                string.Equals(s.Columns[0].En, firstHeader, StringComparison.OrdinalIgnoreCase));
}
