using WorkflowHost.Features.Ledger;
using WorkflowHost.Web;

namespace WorkflowHost.Features.Communities.Import;

/// <summary>
/// The template to fill in, in the reader's language: one table per sheet (.xlsx) or section (CSV), each with its
/// headers, a row of hints and an example row. Hints and the example start with '#', which the import skips: the
/// template imports as it is without adding anything, and deleting the '#' imports the example.
/// </summary>
public static class ImportTemplate
{
    public static IReadOnlyList<ExportTable> Tables(Texts texts) =>
    [
        .. ImportShapes.All.Select(shape => new ExportTable(shape.Sheet(texts.En),
            [.. shape.Columns.Select(c => c.Header(texts.En))],
            [
                [.. shape.Columns.Select((c, i) => (i == 0 ? "# " : "") + c.Hint(texts.En))],
                [.. shape.Columns.Select((c, i) => (i == 0 ? "#" : "") + c.Example)],
            ])),
    ];

    public static Task<byte[]> XlsxAsync(Texts texts, CancellationToken cancellationToken) =>
        Spreadsheet.XlsxAsync([.. Tables(texts), new ExportTable(texts.ImportInstructionsSheet, [texts.ImportInstructionsSheet], [.. texts.ImportInstructions.Select(l => (IReadOnlyList<string>)[l])])], cancellationToken);

    /// <summary>The CSV begins with the instructions as comment lines, then the tables, a blank line between.</summary>
    public static byte[] Csv(Texts texts)
    {
        var instructions = string.Concat(texts.ImportInstructions.Select(l => Spreadsheet.CsvCell("# " + l) + "\r\n")) + "\r\n";
        var tables = Spreadsheet.Csv(Tables(texts));
        var preamble = System.Text.Encoding.UTF8.GetPreamble().Length;
        return [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(instructions), .. tables.AsSpan(preamble)];
    }

    public static string FileName(Texts texts, string communityId, string extension) => (texts.En ? "import-template-" : "导入模板-") + communityId + "." + extension;
}
