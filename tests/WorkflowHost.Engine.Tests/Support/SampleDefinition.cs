using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>A small valid definition (office review, committee ballot, two ends) to break one thing at a time.</summary>
internal static class SampleDefinition
{
    public const string Json = """
        {
          "id": "sample",
          "version": 1,
          "name": { "zh-CN": "示例", "en": "Sample" },
          "start": "review",
          "activities": [
            { "id": "review", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "accept" }, { "name": "reject" } ] },
            { "id": "vote", "type": "ballot", "voters": { "role": "committee-member" } },
            { "id": "yes", "type": "end", "result": "consent" },
            { "id": "no", "type": "end", "result": "no-consent" }
          ],
          "transitions": [
            { "from": "review", "outcome": "accept", "to": "vote" },
            { "from": "review", "outcome": "reject", "to": "no" },
            { "from": "vote", "outcome": "passed", "to": "yes" },
            { "from": "vote", "outcome": "rejected", "to": "no" },
            { "from": "vote", "outcome": "no-quorum", "to": "no" }
          ]
        }
        """;

    /// <summary>The sample with one change applied to its JSON tree.</summary>
    public static string With(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Json)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    public static JsonArray Activities(this JsonObject root) => root["activities"]!.AsArray();

    public static JsonArray Transitions(this JsonObject root) => root["transitions"]!.AsArray();

    public static JsonObject Activity(this JsonObject root, int index) => root.Activities()[index]!.AsObject();
}
