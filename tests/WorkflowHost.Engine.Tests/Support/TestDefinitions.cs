using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>Definitions for tests: the shipped promotion consultation, and tiny flows written as JSON fragments.</summary>
internal static class TestDefinitions
{
    private static readonly Lazy<WorkflowDefinition> LazyPromotion = new(() =>
        DefinitionReader.Read("promotion-consultation.json", File.ReadAllBytes(Path.Combine(RepositoryPaths.Workflows, "promotion-consultation.json"))));

    public static WorkflowDefinition PromotionConsultation => LazyPromotion.Value;

    private static readonly Lazy<WorkflowDefinition> LazyClosingBallot = new(() =>
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Workflows, "promotion-consultation.json")))!.AsObject();
        foreach (var activity in root["activities"]!.AsArray().Select(a => a!.AsObject()))
        {
            if (activity["type"]!.GetValue<string>() == "ballot")
            {
                activity.Remove("due");
                activity.Remove("escalate");
                activity["remind"] = new JsonArray();
                activity["closesAfter"] = new JsonObject { ["workingDays"] = 5 };
            }
            else if (activity["due"] is not null)
            {
                activity["remind"] = new JsonArray();
                activity["escalate"] = new JsonArray();
            }
        }

        return DefinitionReader.Read("promotion-consultation-closing.json", root.ToJsonString());
    });

    /// <summary>
    /// The shipped consultation with its reminders and escalations taken out and a ballot that closes at its deadline
    /// (<c>closesAfter</c>): the closing rules and each step's own timer are tested on it one thing at a time. The shipped
    /// file's reminder chain has tests of its own.
    /// </summary>
    public static WorkflowDefinition ConsultationWithClosingBallot => LazyClosingBallot.Value;

    /// <summary>
    /// A complete definition around the given JSON fragments (comma-separated activities and transitions);
    /// it starts at the first activity unless <paramref name="start"/> says otherwise.
    /// </summary>
    public static WorkflowDefinition Flow(string activities, string transitions, string inputs = "", string? start = null) =>
        DefinitionReader.Read("test-flow.json", FlowJson(activities, transitions, inputs, start));

    public static string FlowJson(string activities, string transitions, string inputs = "", string? start = null)
    {
        start ??= JsonNode.Parse($"[{activities}]")![0]!["id"]!.GetValue<string>();
        return $$"""
            {
              "id": "test-flow",
              "version": 1,
              "name": { "zh-CN": "测试流程", "en": "Test flow" },
              "inputs": [{{inputs}}],
              "start": "{{start}}",
              "activities": [{{activities}}],
              "transitions": [{{transitions}}]
            }
            """;
    }
}
