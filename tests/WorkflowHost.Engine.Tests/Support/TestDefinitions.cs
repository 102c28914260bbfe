using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>Definitions for tests: the shipped promotion consultation, and tiny flows written as JSON fragments.</summary>
internal static class TestDefinitions
{
    private static readonly Lazy<WorkflowDefinition> LazyPromotion = new(() =>
        DefinitionReader.Read("promotion-consultation.json", File.ReadAllBytes(Path.Combine(RepositoryPaths.Workflows, "promotion-consultation.json"))));

    public static WorkflowDefinition PromotionConsultation => LazyPromotion.Value;

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
