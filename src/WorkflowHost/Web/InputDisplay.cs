using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Web;

/// <summary>The file as a page shows it: each input field of the definition with its label and the value in the reader's language.</summary>
public static class InputDisplay
{
    public static IReadOnlyList<(string Label, string Value)> Rows(WorkflowDefinition? definition, JsonObject input, Texts t)
    {
        if (definition is null)
        {
            return [.. input.Select(p => (p.Key, p.Value?.ToString() ?? ""))];
        }

        var rows = new List<(string, string)>();
        foreach (var field in definition.Inputs)
        {
            if (input[field.Name] is not { } value)
            {
                continue;
            }

            rows.Add((field.Label.For(t.Language), Text(field, value, t)));
        }

        return rows;
    }

    /// <summary>A field's label in the reader's language, or its name when the revision has no such field.</summary>
    public static string Label(WorkflowDefinition? definition, string name, Texts t) =>
        definition?.Inputs.FirstOrDefault(f => f.Name == name)?.Label.For(t.Language) ?? name;

    /// <summary>One stored value as the file shows it, or null when there is none.</summary>
    public static string? Value(WorkflowDefinition? definition, string name, JsonNode? value, Texts t) =>
        value is null ? null : definition?.Inputs.FirstOrDefault(f => f.Name == name) is { } field ? Text(field, value, t) : value.ToString();

    private static string Text(InputField field, JsonNode value, Texts t) => field.Type switch
    {
        InputFieldType.Choice => field.Options.FirstOrDefault(o => o.Value == value.ToString())?.Label.For(t.Language) ?? value.ToString(),
        InputFieldType.Boolean => value.GetValueKind() == System.Text.Json.JsonValueKind.True ? t.Yes : t.No,
        InputFieldType.File when value is JsonArray files => FileLines(files),
        _ => value.ToString(),
    };

    /// <summary>One line per file, its name and the start of its SHA-256: the hash is what the journal's chain covers.</summary>
    private static string FileLines(JsonArray files) => string.Join('\n', files.OfType<JsonObject>().Select(f =>
        $"{f["name"]?.GetValue<string>()} · SHA-256 {(f["sha256"]?.GetValue<string>() is { Length: >= 16 } sha ? sha[..16] + "…" : "?")}"));
}
