using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Persistence.Records;

/// <summary>JSON with object keys sorted at every level and no whitespace: the one text a document's code is computed over.</summary>
public static class CanonicalJson
{
    public static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sort)]),
        _ => node?.DeepClone(),
    };

    public static string Of(JsonNode? node) => Sort(node)?.ToJsonString(EngineJson.Options) ?? "null";
}
