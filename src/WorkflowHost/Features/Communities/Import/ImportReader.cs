using System.Globalization;
using FluentValidation;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Web;

namespace WorkflowHost.Features.Communities.Import;

/// <summary>
/// Turns sheets of text into typed rows, checking each row on its own with the same validators as the directory's API,
/// and collecting every error instead of stopping at the first. Rows whose first cell starts with '#' are comments
/// (the template's hints and example). Words are accepted in either language: 兼职 or part-time, 医院 or hospital.
/// </summary>
internal static class ImportReader
{
    private static readonly UnitRequestValidator UnitRules = new();
    private static readonly PersonRequestValidator PersonRules = new();
    private static readonly string[] Languages = [Texts.Chinese, Texts.English];

    public static ImportContent Read(IReadOnlyList<ImportSheet> sheets, List<ImportError> errors)
    {
        var units = new List<UnitRow>();
        var people = new List<PersonRow>();
        var committee = new List<MemberRow>();
        foreach (var sheet in sheets)
        {
            var lines = sheet.Lines.Where(l => l.Cells.Count > 0 && !l.Cells[0].StartsWith('#')).ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            var header = lines[0];
            var firstHeader = header.Cells.Count > 0 ? header.Cells[0] : "";
            var shape = ImportShapes.Recognise(firstHeader);
            if (shape is null)
            {
                if (sheet.Name is not ("说明" or "Instructions"))
                {
                    errors.Add(new ImportError(sheet.Name, header.Row, firstHeader,
                        $"Not a table this import knows; its first header must be one of: {string.Join(", ", ImportShapes.All.Select(s => $"{s.Columns[0].Zh} / {s.Columns[0].En}"))}."));
                }

                continue;
            }

            if (Columns(sheet, header, shape, errors) is not { } columns)
            {
                continue;
            }

            var headers = columns.Where(c => c.Value is not null).ToDictionary(c => c.Value!.Key, c => header.Cells[c.Key], StringComparer.Ordinal);
            foreach (var line in lines.Skip(1))
            {
                var cells = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var c = 0; c < line.Cells.Count; c++)
                {
                    if (columns.TryGetValue(c, out var column) && column is not null)
                    {
                        cells[column.Key] = line.Cells[c];
                    }
                    else if (line.Cells[c].Length > 0)
                    {
                        errors.Add(new ImportError(sheet.Name, line.Row, $"#{c + 1}", "A value in a column without a header."));
                    }
                }

                var source = new RowSource(sheet.Name, line.Row, headers);
                var row = new Row(source, cells, errors);
                switch (shape.Key)
                {
                    case "units":
                        units.AddIfNotNull(ReadUnit(row));
                        break;
                    case "people":
                        people.AddIfNotNull(ReadPerson(row));
                        break;
                    default:
                        committee.AddIfNotNull(ReadMember(row));
                        break;
                }
            }
        }

        return new ImportContent(units, people, committee);
    }

    /// <summary>Cell position to column; an unknown or repeated header, or a missing required one, is an error of the header row.</summary>
    private static Dictionary<int, ImportColumn?>? Columns(ImportSheet sheet, ImportLine header, ImportShape shape, List<ImportError> errors)
    {
        var columns = new Dictionary<int, ImportColumn?>();
        var before = errors.Count;
        for (var c = 0; c < header.Cells.Count; c++)
        {
            var text = header.Cells[c];
            if (text.Length == 0)
            {
                columns[c] = null;
                continue;
            }

            var column = shape.ColumnFor(text);
            if (column is null)
            {
                errors.Add(new ImportError(sheet.Name, header.Row, text, $"Not a column of the {shape.SheetEn} table."));
            }
            else if (columns.ContainsValue(column))
            {
                errors.Add(new ImportError(sheet.Name, header.Row, text, "This column appears twice."));
            }

            columns[c] = column;
        }

        foreach (var missing in shape.Columns.Where(c => c.Required && !columns.ContainsValue(c)))
        {
            errors.Add(new ImportError(sheet.Name, header.Row, missing.Zh, $"The required column {missing.Zh} / {missing.En} is missing."));
        }

        return errors.Count == before ? columns : null;
    }

    private static UnitRow? ReadUnit(Row row)
    {
        var request = new UnitRequest(row.Text("unitId"), row.Text("nameZh"), row.Text("nameEn"), row.Word("kind", DirectoryRules.UnitKinds, k => Both(t => t.UnitKind(k))),
            row.Date("joinedOn"), row.Date("agreementSignedOn"), row.Text("agreementText"));
        row.Require("unitId");
        row.Validate(UnitRules.Validate(request), p => p == "Id" ? "unitId" : Camel(p));
        return row.Valid ? new UnitRow(row.Source, request) : null;
    }

    private static PersonRow? ReadPerson(Row row)
    {
        var language = row.Word("language", Languages, l => l == Texts.Chinese ? ["中文", "zh", "chinese"] : ["英文", "english"]);
        var request = new PersonRequest(row.Text("personId"), row.Text("nameZh"), row.Text("nameEn"), row.Text("unitId"), row.Text("titleZh"), row.Text("titleEn"),
            row.Text("email"), row.Text("phone"), language ?? Texts.Chinese);
        row.Require("personId");
        row.Validate(PersonRules.Validate(request), p => p == "Id" ? "personId" : Camel(p));
        var roles = new List<string>();
        foreach (var word in (row.Text("roles") ?? "").Split([';', '；', ',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var role = DirectoryRules.CommunityRoles.FirstOrDefault(r => Matches(word, r, Both(t => t.RoleName(r))));
            if (role is null)
            {
                row.Fail("roles", $"'{word}' is not a role of a community; one of: {string.Join(", ", DirectoryRules.CommunityRoles)}.");
            }
            else if (role == RoleNames.CommitteeMember)
            {
                row.Fail("roles", "Committee members are listed on the committee sheet, with their term.");
            }
            else if (!roles.Contains(role))
            {
                roles.Add(role);
            }
        }

        if (roles.Contains(RoleNames.UnitLiaison) && string.IsNullOrEmpty(request.UnitId))
        {
            row.Fail("unitId", "A unit liaison belongs to a unit.");
        }

        var from = row.Date("rolesFrom");
        return row.Valid ? new PersonRow(row.Source, request, roles, from) : null;
    }

    private static MemberRow? ReadMember(Row row)
    {
        var termText = row.Text("term");
        var term = 0;
        if (termText is not null && (!int.TryParse(termText, NumberStyles.None, CultureInfo.InvariantCulture, out term) || term is < 1 or > 1000))
        {
            row.Fail("term", "A whole number from 1 to 1000.");
        }

        row.Require("term");
        var startsOn = row.Date("startsOn");
        row.Require("startsOn");
        var personId = row.Text("personId");
        row.Require("personId");
        var kind = row.Word("memberKind", DirectoryRules.TermMemberKinds, k => k == TermMemberKind.FullTime ? ["专职", "full time"] : ["兼职", "part time"]);
        row.Require("memberKind");
        var unitId = row.Text("unitId");
        if (kind == TermMemberKind.PartTime && unitId is null)
        {
            row.Fail("unitId", "A part-time member comes from a resident unit.");
        }
        else if (kind == TermMemberKind.FullTime && unitId is not null)
        {
            row.Fail("unitId", "A full-time member has no unit.");
        }

        return row.Valid ? new MemberRow(row.Source, term, startsOn!.Value, personId!, kind!, unitId) : null;
    }

    private static string[] Both(Func<Texts, string> text) => [text(new Texts(Texts.Chinese)), text(new Texts(Texts.English))];

    private static bool Matches(string word, string code, IEnumerable<string> names) =>
        string.Equals(word, code, StringComparison.OrdinalIgnoreCase) || names.Any(n => string.Equals(word, n, StringComparison.OrdinalIgnoreCase));

    private static string Camel(string property) => property.Length == 0 ? property : char.ToLowerInvariant(property[0]) + property[1..];

    private static void AddIfNotNull<T>(this List<T> list, T? item)
        where T : class
    {
        if (item is not null)
        {
            list.Add(item);
        }
    }

    /// <summary>One data row being read: its cells by column key, and the errors it adds.</summary>
    private sealed class Row(RowSource source, Dictionary<string, string> cells, List<ImportError> errors)
    {
        private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

        public RowSource Source => source;

        public bool Valid => _failed.Count == 0;

        public string? Text(string key) => cells.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

        public void Fail(string key, string reason)
        {
            if (_failed.Add(key))
            {
                errors.Add(source.Error(key, reason));
            }
        }

        public void Require(string key)
        {
            if (Text(key) is null)
            {
                Fail(key, "Required.");
            }
        }

        public DateOnly? Date(string key)
        {
            var text = Text(key);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Fail(key, $"'{text}' is not a date; write it as 2026-01-15.");
            return null;
        }

        /// <summary>A word from a closed list: its code, or its name in either language.</summary>
        public string? Word(string key, IReadOnlyList<string> codes, Func<string, string[]> names)
        {
            var text = Text(key);
            if (text is null)
            {
                return null;
            }

            var code = codes.FirstOrDefault(c => Matches(text, c, names(c)));
            if (code is null)
            {
                Fail(key, $"'{text}' is not one of: {string.Join(", ", codes)}.");
            }

            return code ?? text;
        }

        public void Validate(FluentValidation.Results.ValidationResult result, Func<string, string> keyOf)
        {
            foreach (var error in result.Errors)
            {
                Fail(keyOf(error.PropertyName), error.ErrorMessage);
            }
        }
    }
}
