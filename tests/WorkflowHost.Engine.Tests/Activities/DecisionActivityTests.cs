using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

public sealed class DecisionActivityTests
{
    private const string Inputs = """
        { "name": "kind", "type": "choice", "label": { "zh-CN": "类别", "en": "Kind" },
          "options": [ { "value": "promotion", "label": { "zh-CN": "提拔", "en": "Promotion" } },
                       { "value": "award", "label": { "zh-CN": "评优", "en": "Award" } } ] },
        { "name": "count", "type": "integer", "label": { "zh-CN": "人数", "en": "Count" } },
        { "name": "note", "type": "text", "label": { "zh-CN": "备注", "en": "Note" } }
        """;

    [Theory]
    [InlineData("""{ "field": "input.kind", "equalTo": "promotion" }""", """{ "kind": "promotion" }""", "yes")]
    [InlineData("""{ "field": "input.kind", "equalTo": "promotion" }""", """{ "kind": "award" }""", "no")]
    [InlineData("""{ "field": "input.kind", "in": ["award", "evaluation"] }""", """{ "kind": "award" }""", "yes")]
    [InlineData("""{ "field": "input.kind", "in": ["award", "evaluation"] }""", """{ "kind": "promotion" }""", "no")]
    [InlineData("""{ "field": "input.count", "greaterThan": 3 }""", """{ "count": 4 }""", "yes")]
    [InlineData("""{ "field": "input.count", "greaterThan": 3 }""", """{ "count": 3 }""", "no")]
    [InlineData("""{ "field": "input.count", "greaterThan": 3 }""", """{ }""", "no")]
    [InlineData("""{ "field": "input.note", "exists": true }""", """{ "note": "有" }""", "yes")]
    [InlineData("""{ "field": "input.note", "exists": true }""", """{ }""", "no")]
    [InlineData("""{ "field": "input.note", "exists": false }""", """{ }""", "yes")]
    [InlineData("""{ "all": [ { "field": "input.kind", "equalTo": "award" }, { "field": "input.count", "greaterThan": 3 } ] }""", """{ "kind": "award", "count": 4 }""", "yes")]
    [InlineData("""{ "all": [ { "field": "input.kind", "equalTo": "award" }, { "field": "input.count", "greaterThan": 3 } ] }""", """{ "kind": "award", "count": 3 }""", "no")]
    [InlineData("""{ "any": [ { "field": "input.kind", "equalTo": "award" }, { "field": "input.count", "greaterThan": 3 } ] }""", """{ "kind": "promotion", "count": 4 }""", "yes")]
    [InlineData("""{ "any": [ { "field": "input.kind", "equalTo": "award" }, { "field": "input.count", "greaterThan": 3 } ] }""", """{ "kind": "promotion", "count": 1 }""", "no")]
    [InlineData("""{ "field": "initiator.unitId", "equalTo": "unit-detai-precision" }""", """{ }""", "yes")]
    public void A_condition_chooses_its_outcome_else_otherwise(string condition, string input, string expected)
    {
        var driver = InstanceDriver.Started(Deciding(condition), DetaiLiaison, JsonNode.Parse(input)!.AsObject());

        Assert.Equal(expected, driver.State.Result);
        Assert.Equal(expected, Assert.Single(driver.Journal("DecisionTaken"))["outcome"]!.GetValue<string>());
    }

    [Fact]
    public void The_first_rule_that_holds_wins()
    {
        var definition = TestDefinitions.Flow(
            """
            { "id": "route", "type": "decision", "otherwise": "no", "rules": [
                { "outcome": "first", "when": { "field": "input.count", "greaterThan": 1 } },
                { "outcome": "second", "when": { "field": "input.count", "greaterThan": 0 } } ] },
            { "id": "end-first", "type": "end", "result": "first" },
            { "id": "end-second", "type": "end", "result": "second" },
            { "id": "end-no", "type": "end", "result": "no" }
            """,
            """
            { "from": "route", "outcome": "first", "to": "end-first" },
            { "from": "route", "outcome": "second", "to": "end-second" },
            { "from": "route", "outcome": "no", "to": "end-no" }
            """,
            Inputs);

        Assert.Equal("first", InstanceDriver.Started(definition, DetaiLiaison, new JsonObject { ["count"] = 2 }).State.Result);
        Assert.Equal("second", InstanceDriver.Started(definition, DetaiLiaison, new JsonObject { ["count"] = 1 }).State.Result);
    }

    [Theory]
    [InlineData("accept", 4, "yes")]
    [InlineData("accept", 3, "no")]
    [InlineData("return", 4, "no")]
    public void A_decision_after_a_stored_step_reads_activity_records_and_numbers(string outcome, int count, string expected)
    {
        var definition = TestDefinitions.Flow(
            """
            { "id": "review", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "accept" }, { "name": "return" } ] },
            """ + DecisionAndEnds("""{ "all": [ { "field": "activities.review.outcome", "equalTo": "accept" }, { "field": "input.count", "greaterThan": 3 } ] }"""),
            """
            { "from": "review", "outcome": "accept", "to": "route" },
            { "from": "review", "outcome": "return", "to": "route" },
            """ + DecisionTransitions,
            Inputs);
        var driver = InstanceDriver.Started(definition, DetaiLiaison, new JsonObject { ["count"] = count });

        driver.Send(new CompleteTask(driver.OpenBookmark("review").Id, OfficeXie, outcome));

        Assert.Equal(expected, driver.State.Result);
    }

    [Theory]
    [InlineData("""{ "field": "activities.vote.totals.consent", "atLeast": 7 }""")]
    [InlineData("""{ "field": "activities.vote.totals.consent", "equalTo": 7 }""")]
    [InlineData("""{ "field": "activities.vote.eligible", "in": [13, 14] }""")]
    public void A_decision_in_the_same_step_as_a_ballot_reads_its_fresh_totals(string condition)
    {
        var definition = TestDefinitions.Flow(
            """
            { "id": "vote", "type": "ballot", "voters": { "role": "committee-member" } },
            """ + DecisionAndEnds(condition),
            """
            { "from": "vote", "outcome": "passed", "to": "route" },
            { "from": "vote", "outcome": "rejected", "to": "route" },
            { "from": "vote", "outcome": "no-quorum", "to": "route" },
            """ + DecisionTransitions);
        var driver = InstanceDriver.Started(definition, DetaiLiaison);

        driver.Votes(driver.OpenBookmark("vote").Id, "consent", MembersExcept(DetaiMember).Take(7));

        Assert.Equal("yes", driver.State.Result);
    }

    private const string DecisionTransitions = """
        { "from": "route", "outcome": "yes", "to": "end-yes" },
        { "from": "route", "outcome": "no", "to": "end-no" }
        """;

    private static string DecisionAndEnds(string condition) => $$"""
        { "id": "route", "type": "decision", "rules": [ { "outcome": "yes", "when": {{condition}} } ], "otherwise": "no" },
        { "id": "end-yes", "type": "end", "result": "yes" },
        { "id": "end-no", "type": "end", "result": "no" }
        """;

    private static WorkflowDefinition Deciding(string condition) =>
        TestDefinitions.Flow(DecisionAndEnds(condition), DecisionTransitions, Inputs);
}
