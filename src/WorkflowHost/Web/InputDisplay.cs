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

            var text = field.Type switch
            {
                InputFieldType.Choice => field.Options.FirstOrDefault(o => o.Value == value.ToString())?.Label.For(t.Language) ?? value.ToString(),
                InputFieldType.Boolean => value.GetValueKind() == System.Text.Json.JsonValueKind.True ? t.Yes : t.No,
                _ => value.ToString(),
            };
            rows.Add((field.Label.For(t.Language), text));
        }

        return rows;
    }
}
