using System.Text;

namespace WorkflowHost.Features.Communities.Import;

/// <summary>
/// CSV as RFC 4180 writes it (commas, double quotes, doubled quotes inside, line breaks inside quotes), each record with
/// the line it starts on, so an error can name the line the reader sees in a text editor or a spreadsheet.
/// </summary>
internal static class CsvReader
{
    public static List<ImportLine> Parse(string text, out string? problem)
    {
        problem = null;
        var records = new List<ImportLine>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    cell.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    cells.Add(cell.ToString().Trim());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    cells.Add(cell.ToString().Trim());
                    cell.Clear();
                    records.Add(new ImportLine(start, cells));
                    cells = [];
                    start = ++line;
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            problem = $"Line {start}: a quoted cell is never closed.";
            return [];
        }

        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString().Trim());
            records.Add(new ImportLine(start, cells));
        }

        return records;
    }
}
