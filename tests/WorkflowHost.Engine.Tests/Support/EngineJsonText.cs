using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>States and effects as <see cref="EngineJson"/> text, for comparing and searching.</summary>
internal static class EngineJsonText
{
    public static string Of(InstanceState state) => JsonSerializer.Serialize(state, EngineJson.Options);

    /// <summary>Each effect with its concrete type: <c>[{ "effect": "TaskOpened", "data": {…} }, …]</c>.</summary>
    public static JsonArray Nodes(IEnumerable<Effect> effects) =>
        [.. effects.Select(e => new JsonObject
        {
            ["effect"] = e.GetType().Name,
            ["data"] = JsonNode.Parse(JsonSerializer.Serialize(e, e.GetType(), EngineJson.Options)),
        })];

    public static string Of(IEnumerable<Effect> effects) => Nodes(effects).ToJsonString(EngineJson.Options);
}
