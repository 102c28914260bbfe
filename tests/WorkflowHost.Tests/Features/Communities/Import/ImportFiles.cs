using System.Text;
using WorkflowHost.Features.Ledger;

namespace WorkflowHost.Tests.Features.Communities.Import;

/// <summary>Files to import into Binhe, as a person fills in the template: Chinese headers, CSV or .xlsx.</summary>
internal static class ImportFiles
{
    public static readonly string[] UnitHeaders = ["单位编号", "单位名称（中文）", "单位名称（英文）", "单位类型", "加入日期", "共建协议签订日期", "共建协议内容"];
    public static readonly string[] PeopleHeaders = ["人员编号", "姓名（中文）", "姓名（英文）", "所在单位编号", "职务（中文）", "电子邮箱", "角色", "角色起始日期"];
    public static readonly string[] CommitteeHeaders = ["届次", "本届开始日期", "人员编号", "专职/兼职", "所在单位编号"];

    /// <summary>A new unit, an existing unit with its joined date and English name changed, its liaison, and term 2 (换届).</summary>
    public static readonly ExportTable[] Valid =
    [
        new("驻区单位", UnitHeaders,
        [
            ["# 示例行不导入", "", "", "", "", "", ""],
            ["unit-binhe-bakery", "滨河面包坊", "Binhe Bakery", "企业", "2026-10-01", "2026-10-01", "共驻共建，资源共享。"],
            ["unit-hongxin-law-firm", "弘信律师事务所", "Hongxin Law Offices", "other", "2026-04-01", "", ""],
        ]),
        new("人员", PeopleHeaders,
        [
            ["p-liaison-bakery", "罗芳", "Luo Fang", "unit-binhe-bakery", "店长", "luo.fang@example.org", "单位联络员", "2026-10-08"],
        ]),
        new("党委委员", CommitteeHeaders,
        [
            ["2", "2026-11-20", "p-member-li", "专职", ""],
            ["2", "2026-11-20", "p-liaison-bakery", "兼职", "unit-binhe-bakery"],
        ]),
    ];

    /// <summary>Every row wrong in its own way, beside one good row: nothing at all may be written.</summary>
    public static readonly ExportTable[] Bad =
    [
        new("驻区单位", UnitHeaders,
        [
            ["unit-binhe-good", "好单位", "Good Unit", "学校", "2026-09-01", "", ""],            // row 2: fine
            ["Bad Id", "坏单位", "Bad Unit", "学校", "2026-09-01", "", ""],                     // row 3: unitId
            ["unit-binhe-castle", "城堡", "Castle", "城堡", "2026-09-01", "", ""],             // row 4: kind
            ["unit-binhe-later", "未来单位", "Later Unit", "企业", "明年", "", ""],             // row 5: joinedOn
            ["unit-binhe-deal", "无日期协议", "Undated", "企业", "2026-09-01", "", "有协议无日期"], // row 6: agreementSignedOn
        ]),
        new("人员", PeopleHeaders,
        [
            ["p-bad-mail", "邮件", "Mail", "", "", "not-an-email", "", ""],                   // row 2: email
            ["p-bad-role", "角色", "Role", "", "", "", "国王", ""],                             // row 3: roles
            ["p-no-unit", "无单位", "No Unit", "unit-nowhere", "", "", "", ""],               // row 4: unitId
        ]),
        new("党委委员", CommitteeHeaders,
        [
            ["2", "2026-11-20", "p-nobody", "专职", ""],                                     // row 2: personId
            ["2", "2026-11-20", "p-member-li", "", ""],                                      // row 3: memberKind
        ]),
    ];

    /// <summary>The (sheet, row, column) of each error in <see cref="Bad"/>, sheet names as the CSV or the workbook gives them.</summary>
    public static IReadOnlyList<(string Sheet, int Row, string Column)> BadCells(bool csv)
    {
        // In the CSV the tables follow each other with a blank line between: units on lines 1-6, people 8-11, committee 13-15.
        (string, int) At(string sheet, int row, int csvLine) => csv ? ("CSV", csvLine) : (sheet, row);
        return
        [
            Cell(At("驻区单位", 3, 3), "单位编号"),
            Cell(At("驻区单位", 4, 4), "单位类型"),
            Cell(At("驻区单位", 5, 5), "加入日期"),
            Cell(At("驻区单位", 6, 6), "共建协议签订日期"),
            Cell(At("人员", 2, 9), "电子邮箱"),
            Cell(At("人员", 3, 10), "角色"),
            Cell(At("人员", 4, 11), "所在单位编号"),
            Cell(At("党委委员", 2, 14), "人员编号"),
            Cell(At("党委委员", 3, 15), "专职/兼职"),
        ];
    }

    private static (string, int, string) Cell((string Sheet, int Row) at, string column) => (at.Sheet, at.Row, column);

    public static byte[] Csv(IReadOnlyList<ExportTable> tables, bool byteOrderMark = true)
    {
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            if (text.Length > 0)
            {
                text.Append("\r\n");
            }

            foreach (var line in table.Rows.Prepend(table.Headers))
            {
                text.AppendJoin(',', line.Select(c => c.Contains(',', StringComparison.Ordinal) || c.Contains('"', StringComparison.Ordinal) ? $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : c)).Append("\r\n");
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return byteOrderMark ? [.. Encoding.UTF8.GetPreamble(), .. bytes] : bytes;
    }

    public static Task<byte[]> XlsxAsync(IReadOnlyList<ExportTable> tables) => Spreadsheet.XlsxAsync(tables, CancellationToken.None);
}
