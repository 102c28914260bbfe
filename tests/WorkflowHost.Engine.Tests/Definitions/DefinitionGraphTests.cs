using System.Text.Json.Nodes;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.DefinitionAssert;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>Definitions whose activities and transitions do not form a runnable graph. Each error names the file, the JSON path and the reason.</summary>
public sealed class DefinitionGraphTests
{
    [Fact]
    public void Transition_to_an_unknown_activity() =>
        AssertError(SampleDefinition.With(d => d.Transitions()[0]!["to"] = "ballot"), "$.transitions[0].to", "there is no activity 'ballot'");

    [Fact]
    public void Transition_on_an_outcome_the_activity_does_not_have() =>
        AssertError(SampleDefinition.With(d => d.Transitions()[0]!["outcome"] = "approve"), "$.transitions[0].outcome", "'review' has no outcome 'approve'");

    [Fact]
    public void Outcome_that_no_transition_handles() =>
        AssertError(SampleDefinition.With(d => d.Transitions().RemoveAt(4)), "$.activities[1]", "no transition handles outcome 'no-quorum' of 'vote'");

    [Fact]
    public void Unreachable_activity() =>
        AssertError(
            SampleDefinition.With(d => d.Activities().Add(JsonNode.Parse("""{ "id": "orphan", "type": "end", "result": "lost" }"""))),
            "$.activities[4]",
            "'orphan' cannot be reached");

    [Fact]
    public void Cycle_with_no_exit() =>
        AssertError(
            SampleDefinition.With(d =>
            {
                d.Activities().Add(JsonNode.Parse("""{ "id": "loop-a", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "next" } ] }"""));
                d.Activities().Add(JsonNode.Parse("""{ "id": "loop-b", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "next" } ] }"""));
                d.Transitions()[1]!["to"] = "loop-a";
                d.Transitions().Add(JsonNode.Parse("""{ "from": "loop-a", "outcome": "next", "to": "loop-b" }"""));
                d.Transitions().Add(JsonNode.Parse("""{ "from": "loop-b", "outcome": "next", "to": "loop-a" }"""));
            }),
            "$.activities[4]",
            "no path from 'loop-a' reaches an end activity");

    [Fact]
    public void Duplicate_activity_ids() =>
        AssertError(SampleDefinition.With(d => d.Activity(3)["id"] = "yes"), "$.activities[3].id", "the activity id 'yes' is used twice");
}
