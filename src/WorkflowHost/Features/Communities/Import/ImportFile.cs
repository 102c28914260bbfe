using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace WorkflowHost.Features.Communities.Import;

/// <summary>One row of an uploaded table: its row number as the reader sees it (the sheet's row, the CSV's line) and its cells.</summary>
public sealed record ImportLine(int Row, IReadOnlyList<string> Cells);

/// <summary>A sheet of the .xlsx, or a section of the CSV (sections are separated by a blank line).</summary>
public sealed record ImportSheet(string Name, IReadOnlyList<ImportLine> Lines);

/// <summary>
/// Reads an upload into sheets of text cells. The type is told by the content, never by the name or the declared type:
/// a zip container is an .xlsx, anything else must be UTF-8 text (with or without a byte order mark) and is read as CSV.
/// </summary>
public static class ImportFile
{
    public const int MaxBytes = 512 * 1024;

    /// <summary>Rows over all sheets; a community has a few hundred records, a larger file is a mistake or an attack.</summary>
    public const int MaxRows = 5000;

    public const string CsvSheet = "CSV";

    public static IReadOnlyList<ImportSheet> Read(byte[] content, out string? problem)
    {
        problem = null;
        if (content.Length == 0)
        {
            problem = "The file is empty.";
            return [];
        }

        if (content.Length > MaxBytes)
        {
            problem = $"The file has {content.Length} bytes; at most {MaxBytes} are accepted.";
            return [];
        }

        if (content is [0x50, 0x4B, 0x03, 0x04, ..])
        {
            return ReadXlsx(content, out problem);
        }

        if (content is [0xD0, 0xCF, 0x11, 0xE0, ..])
        {
            problem = "This is an old .xls workbook; save it as .xlsx or as CSV (UTF-8) and upload that.";
            return [];
        }

        if (Array.IndexOf(content, (byte)0) >= 0)
        {
            problem = "The file is neither an .xlsx workbook nor CSV text.";
            return [];
        }

        var bom = content is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content, bom, content.Length - bom);
        }
        catch (DecoderFallbackException)
        {
            problem = "The CSV is not UTF-8 text; save it as \"CSV UTF-8\" and upload it again.";
            return [];
        }

        var lines = CsvReader.Parse(text, out problem);
        if (problem is not null)
        {
            return [];
        }

        if (lines.Count > MaxRows)
        {
            problem = $"The file has more than {MaxRows} rows.";
            return [];
        }

        // Sections one after another, a blank line between, as the template (and the ledger's export) writes them.
        var sheets = new List<ImportSheet>();
        var section = new List<ImportLine>();
        foreach (var line in lines.Append(new ImportLine(0, [])))
        {
            if (line.Cells.All(string.IsNullOrWhiteSpace))
            {
                if (section.Count > 0)
                {
                    sheets.Add(new ImportSheet(CsvSheet, section));
                    section = [];
                }

                continue;
            }

            section.Add(line);
        }

        return sheets;
    }

    private static List<ImportSheet> ReadXlsx(byte[] content, out string? problem)
    {
        problem = null;
        var sheets = new List<ImportSheet>();
        var rows = 0;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            foreach (var name in stream.GetSheetNames())
            {
                stream.Position = 0;
                var lines = new List<ImportLine>();
                var number = 0;
                foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: false, sheetName: name))
                {
                    number++;
                    if (++rows > MaxRows)
                    {
                        problem = $"The workbook has more than {MaxRows} rows.";
                        return [];
                    }

                    var cells = row.Values.Select(Text).ToList();
                    if (cells.Exists(c => c.Length > 0))
                    {
                        lines.Add(new ImportLine(number, cells));
                    }
                }

                sheets.Add(new ImportSheet(name, lines));
            }
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or IOException or FormatException or ArgumentException or System.Xml.XmlException)
        {
            problem = "The .xlsx workbook cannot be read; open it in a spreadsheet and save it again.";
            return [];
        }

        return sheets;
    }

    /// <summary>A cell as text: a date typed into a spreadsheet comes as a date, a number (a phone, a term) as a double.</summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        DateTime date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double number => number.ToString("0.##########", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture).Trim(),
        _ => value.ToString()?.Trim() ?? "",
    };
}
