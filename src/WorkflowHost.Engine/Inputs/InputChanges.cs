using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Inputs;

/// <summary>One field an amendment changed, with its stored value before and after (identity numbers only ever masked).</summary>
public sealed record InputChange(string Field, JsonNode? Before, JsonNode? After)
{
    public JsonObject ToJson() => new() { ["field"] = Field, ["before"] = Before?.DeepClone(), ["after"] = After?.DeepClone() };
}

/// <summary>
/// What an amendment (退回补充) really changed. A page sends the whole prefilled form back, so the fields it names are
/// not the fields that changed: the office wants to see only the latter, compared after normalisation.
/// </summary>
public static class InputChanges
{
    public static IReadOnlyList<InputChange> Between(JsonObject before, JsonObject after, IEnumerable<string> named) =>
        [.. named.Distinct(StringComparer.Ordinal)
            .Where(field => !JsonNode.DeepEquals(before[field], after[field]))
            .Select(field => new InputChange(field, before[field], after[field]))];
}
