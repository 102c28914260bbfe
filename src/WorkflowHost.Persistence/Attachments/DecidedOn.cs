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
        foreach (var file in AttachmentJson.StoredReferences(state.Input).Concat(state.Variables.SelectMany(v => AttachmentJson.StoredReferences(v.Value))))
        {
            found.TryAdd(file["id"]!.ToString(), new JsonObject { ["name"] = file["name"]?.DeepClone(), ["sha256"] = file["sha256"]!.DeepClone() });
        }

        return new JsonArray([.. found.Values.OrderBy(f => f["name"]?.GetValue<string>(), StringComparer.Ordinal)]);
    }
}
