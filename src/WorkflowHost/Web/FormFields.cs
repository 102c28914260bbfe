using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Web;

/// <summary>
/// Reads a form generated from a definition's fields (a start form, a task's own form) into the JSON the engine checks.
/// A list field is shown as a fixed number of rows (no script on these pages); a row left empty is not an item.
/// </summary>
public static class FormFields
{
    /// <summary>Rows offered for a list field: enough for an agenda's follow-up actions, few enough to read.</summary>
    public const int ListRows = 5;

    /// <summary>Fills <paramref name="values"/> with what was typed, by the field's form name, to show it again.</summary>
    public static JsonObject Read(IEnumerable<InputField> fields, IFormCollection form, string prefix, IDictionary<string, string> values)
    {
        var data = new JsonObject();
        foreach (var field in fields)
        {
            var name = prefix + field.Name;
            if (field.Type == InputFieldType.List)
            {
                var items = new JsonArray();
                for (var row = 0; row < RowsFor(field); row++)
                {
                    var item = Read(field.Items ?? [], form, $"{name}[{row}].", values);
                    if (item.Any(pair => pair.Value is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.False))
                    {
                        items.Add(item);
                    }
                }

                if (items.Count > 0)
                {
                    data[field.Name] = items;
                }

                continue;
            }

            if (field.Type == InputFieldType.File)
            {
                // Each uploaded file is a hidden input carrying its attachment id (the upload script adds them).
                var ids = form[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
                values[name] = string.Join(',', ids);
                if (ids.Count > 0)
                {
                    data[field.Name] = new JsonArray([.. ids.Select(v => JsonValue.Create(v))]);
                }

                continue;
            }

            var text = form[name].ToString().Trim();
            values[name] = text;
            if (field.Type == InputFieldType.Boolean)
            {
                data[field.Name] = text == "true";
            }
            else if (text.Length > 0)
            {
                data[field.Name] = field.Type is InputFieldType.Integer or InputFieldType.Decimal
                    && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(text);
            }
        }

        return data;
    }

    public static int RowsFor(InputField field) => Math.Min(field.MaxItems ?? ListRows, ListRows);

    /// <summary>The message shown next to an invalid field, in the page's language.</summary>
    public static string ErrorText(InputField field, string value, Texts t) =>
        field.Required && value.Length == 0 ? t.FieldRequired : t.FieldInvalid(field.Type.ToString(), field.EffectiveMaxLength);
}

/// <summary>One generated field as the partial <c>_FormField</c> draws it.</summary>
/// <remarks>
/// <see cref="AskBrowser"/> false leaves out the browser's own <c>required</c> check: a list shows empty rows that are
/// not items, and a required field in one would keep the browser from sending the form at all. The server still checks.
/// </remarks>
public sealed record FormFieldView(InputField Field, string Name, string Value, string? Error, Texts T, bool AskBrowser = true)
{
    public bool BrowserRequired => Field.Required && AskBrowser;

    /// <summary>For a <c>file</c> field: the files the page can name by id (see <see cref="FormFiles.KnownAsync"/>).</summary>
    public IReadOnlyDictionary<string, Features.Attachments.AttachmentView>? Files { get; init; }

    /// <summary>For a unit or person field: the values to choose from (a select instead of typing an id); null to type it.</summary>
    public IReadOnlyList<FieldChoice>? Choices { get; init; }

    public string Id => "f-" + Name.Replace('.', '-').Replace('[', '-').Replace("]", "", StringComparison.Ordinal);
}

/// <summary>A set of generated fields under a name prefix (<c>data.</c> for a task's form, <c>name[i].</c> for a list row).</summary>
/// <remarks><see cref="Messages"/> carries a page's own text for a field the engine refused for a reason the field's type cannot
/// tell (a facility already booked).</remarks>
public sealed record FormFieldsView(
    IReadOnlyList<InputField> Fields, string Prefix, IReadOnlyDictionary<string, string> Values, IReadOnlySet<string> Invalid, Texts T,
    IReadOnlyDictionary<string, string>? Messages = null)
{
    /// <summary>False inside a list's rows (see <see cref="FormFieldView.AskBrowser"/>).</summary>
    public bool AskBrowser { get; init; } = true;

    /// <summary>The files the page can name by id, for the file fields (see <see cref="FormFiles.KnownAsync"/>).</summary>
    public IReadOnlyDictionary<string, Features.Attachments.AttachmentView>? Files { get; init; }

    /// <summary>Choices per field name (not prefixed) for unit and person fields the page can list; see <see cref="FormFieldView.Choices"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FieldChoice>>? Choices { get; init; }

    public string? ErrorFor(string name)
    {
        if (!Invalid.Contains(name))
        {
            return null;
        }

        if (Messages?.GetValueOrDefault(name) is { } message)
        {
            return message;
        }

        var field = Find(name);
        return field is null ? T.FieldRequired : FormFields.ErrorText(field, Values.GetValueOrDefault(name) ?? string.Empty, T);
    }

    private InputField? Find(string name) => Fields.FirstOrDefault(f => Prefix + f.Name == name);
}

/// <summary>One option of a unit or person field's select: the id stored and the name shown.</summary>
public sealed record FieldChoice(string Value, string Label);
