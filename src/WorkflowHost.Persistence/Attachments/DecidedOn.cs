using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Persistence.Attachments;

/// <summary>
/// The files a case was decided on, as an issued document records them: every file reference in the instance's input
/// and in its steps' data (a task's form), by name and SHA-256. Read from the state the step already holds, so issuing
/// a document costs no extra query. Comments' files are discussion, not the file the decision was taken on.
/// </summary>
internal static class DecidedOn
{
    public static JsonArray Files(InstanceState state)
    {
        var found = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        Collect(state.Input, found);
        foreach (var (_, variables) in state.Variables)
        {
            Collect(variables, found);
        }

        return new JsonArray([.. found.Values.OrderBy(f => f["name"]?.GetValue<string>(), StringComparer.Ordinal)]);
    }

    private static void Collect(JsonNode? node, Dictionary<string, JsonObject> into)
    {
        switch (node)
        {
            case JsonObject file when file["sha256"] is JsonValue sha && file["id"] is JsonValue id && file["kind"] is not null:
                into.TryAdd(id.ToString(), new JsonObject { ["name"] = file["name"]?.DeepClone(), ["sha256"] = sha.DeepClone() });
                break;
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Collect(child, into);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, into);
                }

                break;
        }
    }
}
