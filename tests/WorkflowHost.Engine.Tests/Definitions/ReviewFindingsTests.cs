using System.Text.Json.Nodes;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.DefinitionAssert;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>Rules added after a review of the definition format: each was accepted, or refused, wrongly before.</summary>
public sealed class ReviewFindingsTests
{
    [Fact]
    public void A_pass_rule_can_require_at_least_two_thirds()
    {
        var definition = DefinitionReader.Read("sample.json",
            SampleDefinition.With(d => d.Activity(1)["rule"] = JsonNode.Parse("""{ "pass": { "option": "consent", "atLeast": "2/3" } }""")));

        var rule = ((WorkflowHost.Engine.Activities.BallotActivity)definition.GetActivity("vote")).Rule;
        Assert.Equal(BallotOutcomes.Passed, BallotCount.Decide(rule, eligible: 12, participants: 8, yes: 8, deadlineReached: false));
        Assert.Null(BallotCount.Decide(rule, eligible: 12, participants: 7, yes: 7, deadlineReached: false));
        Assert.Equal("at least 2/3", rule.Pass.ToString());
    }

    [Fact]
    public void Both_thresholds_at_once_are_refused() =>
        AssertError(
            SampleDefinition.With(d => d.Activity(1)["rule"] = JsonNode.Parse("""{ "quorum": { "moreThan": "1/2", "atLeast": "2/3" } }""")),
            "$.activities[1].rule.quorum",
            "not both");

    [Fact]
    public void With_nobody_eligible_even_a_zero_threshold_rule_has_no_quorum()
    {
        var lenient = new BallotRule { Quorum = new Threshold { AtLeast = new Fraction(1, 2) }, Pass = new PassCondition { AtLeast = new Fraction(1, 2) } };
        Assert.Equal(BallotOutcomes.NoQuorum, BallotCount.Decide(lenient, eligible: 0, participants: 0, yes: 0, deadlineReached: false));
    }

    [Fact]
    public void Operators_next_to_all_are_refused() =>
        AssertError(
            DecisionWith("""{ "all": [ { "field": "input.kind", "equalTo": "award" } ], "equalTo": "x" }"""),
            "$.activities[0].rules[0].when",
            "operators belong to a field test");

    [Fact]
    public void An_empty_in_list_is_refused() =>
        AssertError(DecisionWith("""{ "field": "input.kind", "in": [] }"""), "$.activities[0].rules[0].when.in", "'in' needs at least one value");

    [Fact]
    public void A_loop_with_nothing_that_waits_is_refused()
    {
        var json = TestDefinitions.FlowJson(
            """
            { "id": "check", "type": "decision", "rules": [ { "outcome": "again", "when": { "field": "input.kind", "equalTo": "award" } } ], "otherwise": "stop" },
            { "id": "tell", "type": "notify", "recipients": { "role": "office" }, "template": "loop" },
            { "id": "end", "type": "end", "result": "done" }
            """,
            """
            { "from": "check", "outcome": "again", "to": "tell" },
            { "from": "tell", "to": "check" },
            { "from": "check", "outcome": "stop", "to": "end" }
            """,
            """{ "name": "kind", "type": "text", "label": { "zh-CN": "类别", "en": "Kind" } }""");
        AssertError(json, "$.activities[0]", "loop with no task, ballot or timer");
        AssertError(json, "$.activities[1]", "loop with no task, ballot or timer");
    }

    [Fact]
    public void Property_names_are_case_sensitive() =>
        AssertError(SampleDefinition.With(d => { d["Start"] = d["start"]!.DeepClone(); d.Remove("start"); }), "$.Start", "Start");

    [Fact]
    public void Min_and_max_on_a_text_field_are_refused() =>
        AssertError(
            TestDefinitions.FlowJson(
                """{ "id": "end", "type": "end", "result": "done" }""", "",
                """{ "name": "title", "type": "text", "min": 1, "label": { "zh-CN": "标题", "en": "Title" } }"""),
            "$.inputs[0].min",
            "number fields only");

    [Fact]
    public void Two_files_with_one_id_are_each_named()
    {
        var folder = Directory.CreateTempSubdirectory("wfh-dup-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.json"), SampleDefinition.Json);
            File.WriteAllText(Path.Combine(folder, "b.json"), SampleDefinition.Json);

            var error = Assert.Throws<DefinitionException>(() => DefinitionReader.ReadDirectory(folder));

            Assert.Equal(["a.json", "b.json"], error.Errors.Select(e => e.File).Order(StringComparer.Ordinal));
            Assert.All(error.Errors, e => Assert.Equal("$.id", e.Path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_stored_revision_is_read_even_if_todays_rules_would_refuse_it()
    {
        // Numbers written as strings were accepted once; an instance started then must still be resumable.
        var stored = SampleDefinition.With(d => d["version"] = "1");
        Assert.Throws<DefinitionException>(() => DefinitionReader.Read("sample.json", stored));

        var definition = DefinitionReader.ReadStored(stored);

        Assert.Equal(1, definition.Version);
        Assert.Equal("sample", definition.Id);
    }

    private static string DecisionWith(string condition) => TestDefinitions.FlowJson(
        $$"""
        { "id": "check", "type": "decision", "rules": [ { "outcome": "yes", "when": {{condition}} } ], "otherwise": "no" },
        { "id": "end", "type": "end", "result": "done" }
        """,
        """
        { "from": "check", "outcome": "yes", "to": "end" },
        { "from": "check", "outcome": "no", "to": "end" }
        """,
        """{ "name": "kind", "type": "text", "label": { "zh-CN": "类别", "en": "Kind" } }""");
}
