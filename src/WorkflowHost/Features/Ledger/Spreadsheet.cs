using System.Text;
using MiniExcelLibs;

namespace WorkflowHost.Features.Ledger;

/// <summary>A table to export: a sheet name, column headers and rows of text cells (times already written in the community's zone).</summary>
public sealed record ExportTable(string Sheet, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>Writes tables as .xlsx (MiniExcel) or CSV.</summary>
public static class Spreadsheet
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvType = "text/csv; charset=utf-8";

    /// <summary>One sheet per table. Cells are written as text cells, never formulas, so a leading '=' is shown, not run.</summary>
    public static async Task<byte[]> XlsxAsync(IReadOnlyList<ExportTable> tables, CancellationToken cancellationToken)
    {
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            sheets[table.Sheet] = table.Rows.Select(row =>
            {
                // Insertion order is the column order; a repeated header (none today) would keep its first column.
                var line = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var c = 0; c < table.Headers.Count; c++)
                {
                    line.TryAdd(table.Headers[c], c < row.Count ? row[c] : "");
                }

                return line;
            }).ToList();
        }

        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, printHeader: true, excelType: ExcelType.XLSX, cancellationToken: cancellationToken);
        return stream.ToArray();
    }

    /// <summary>
    /// UTF-8 with a byte order mark, or Excel reads the Chinese as mojibake; tables one after another, a blank line between.
    /// A cell starting with = + - @ (or a tab or carriage return) gets a leading apostrophe so that a spreadsheet shows
    /// it as text instead of running it as a formula (CSV formula injection: a nominee named "=HYPERLINK(…)").
    /// </summary>
    public static byte[] Csv(IReadOnlyList<ExportTable> tables)
    {
        var text = new StringBuilder();
        for (var t = 0; t < tables.Count; t++)
        {
            if (t > 0)
            {
                text.Append("\r\n");
            }

            Line(text, tables[t].Headers);
            foreach (var row in tables[t].Rows)
            {
                Line(text, row);
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    internal static string CsvCell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> cells)
    {
        text.AppendJoin(',', cells.Select(CsvCell));
        text.Append("\r\n");
    }
}
