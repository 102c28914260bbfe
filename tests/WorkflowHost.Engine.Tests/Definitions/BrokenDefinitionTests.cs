using System.Text;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>Each broken definition is refused with an error naming the file, the JSON path and the reason.</summary>
public sealed class BrokenDefinitionTests
{
    private const string FileName = "broken.json";

    [Fact]
    public void The_sample_itself_is_valid() =>
        Assert.Equal("sample", DefinitionReader.Read(FileName, SampleDefinition.Json).Id);

    [Theory]
    [InlineData("""{ "id": "sample", """)]
    [InlineData("""{ "id": "sample", }""")]
    [InlineData("""{ 'id': 'sample' }""")]
    public void Invalid_json(string json) => AssertError(json, "$", "not valid JSON");

    [Fact]
    public void Invalid_utf8_bytes()
    {
        var bytes = Encoding.UTF8.GetBytes(SampleDefinition.Json).ToList();
        bytes.InsertRange(bytes.IndexOf((byte)'S'), [0xC3, 0x28]);

        var errors = Assert.Throws<DefinitionException>(() => DefinitionReader.Read(FileName, bytes.ToArray())).Errors;

        Assert.Contains(errors, e => e is { File: FileName, Path: "$" } && e.Reason.Contains("not valid UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_activity_type() =>
        AssertError(SampleDefinition.With(d => d.Activity(1)["type"] = "vote"), "$.activities[1].type", "unknown activity type 'vote'");

    [Fact]
    public void Missing_activity_type() =>
        AssertError(SampleDefinition.With(d => d.Activity(2).Remove("type")), "$.activities[2].type", "unknown activity type '(missing)'");

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
    public void Missing_required_property() =>
        AssertError(SampleDefinition.With(d => d.Remove("start")), "$", "'start'");

    [Fact]
    public void Missing_required_property_of_an_activity() =>
        AssertError(SampleDefinition.With(d => d.Activity(0).Remove("assignee")), "$.activities[0]", "'assignee'");

    [Fact]
    public void Wrong_type() =>
        AssertError(SampleDefinition.With(d => d["version"] = "1"), "$.version", "could not be converted");

    [Fact]
    public void Wrong_type_deep_inside() =>
        AssertError(
            SampleDefinition.With(d => d.Activity(1)["closesAfter"] = JsonNode.Parse("""{ "workingDays": "5" }""")),
            "$.activities[1].closesAfter.workingDays",
            "could not be converted");

    [Fact]
    public void Unknown_property_at_the_top() =>
        AssertError(SampleDefinition.With(d => d["descripton"] = "typo"), "$.descripton", "could not be mapped");

    [Fact]
    public void Unknown_property_in_an_activity() =>
        AssertError(
            SampleDefinition.With(d => d.Activity(1)["secrett"] = true),
            "$.activities[1].secrett",
            "could not be mapped");

    [Fact]
    public void Duplicate_activity_ids() =>
        AssertError(SampleDefinition.With(d => d.Activity(3)["id"] = "yes"), "$.activities[3].id", "the activity id 'yes' is used twice");

    [Fact]
    public void Fraction_greater_than_one() =>
        AssertError(
            SampleDefinition.With(d => d.Activity(1)["rule"] = JsonNode.Parse("""{ "quorum": { "moreThan": "3/2" } }""")),
            "$.activities[1].rule.quorum.moreThan",
            "a share is a fraction between 0 and 1");

    [Fact]
    public void Fraction_that_is_not_a_fraction() =>
        AssertError(
            SampleDefinition.With(d => d.Activity(1)["rule"] = JsonNode.Parse("""{ "quorum": { "moreThan": "half" } }""")),
            "$.activities[1].rule.quorum.moreThan",
            "A fraction is written as a string");

    [Fact]
    public void Ballot_pass_option_that_is_not_an_option() =>
        AssertError(
            SampleDefinition.With(d => d.Activity(1)["rule"] = JsonNode.Parse("""{ "pass": { "option": "yes", "moreThan": "1/2" } }""")),
            "$.activities[1].rule.pass.option",
            "the pass option must be one of the ballot's options");

    [Fact]
    public void Missing_chinese_name() =>
        AssertError(SampleDefinition.With(d => d["name"] = JsonNode.Parse("""{ "en": "Sample" }""")), "$.name.zh-CN", "the Chinese text (zh-CN) is required");

    [Fact]
    public void Missing_chinese_label_of_an_activity() =>
        AssertError(
            SampleDefinition.With(d => d.Activity(0)["name"] = JsonNode.Parse("""{ "en": "Review" }""")),
            "$.activities[0].name.zh-CN",
            "the Chinese text (zh-CN) is required");

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var json = SampleDefinition.With(d =>
        {
            d["name"] = JsonNode.Parse("""{ "en": "Sample" }""");
            d.Activity(3)["id"] = "yes";
            d.Activity(1)["rule"] = JsonNode.Parse("""{ "quorum": { "atLeast": "3/2" } }""");
        });

        var errors = Assert.Throws<DefinitionException>(() => DefinitionReader.Read(FileName, json)).Errors;

        Assert.Superset(new HashSet<string> { "$.name.zh-CN", "$.activities[3].id", "$.activities[1].rule.quorum.atLeast" }, errors.Select(e => e.Path).ToHashSet());
    }

    private static void AssertError(string json, string path, string reason)
    {
        var exception = Assert.Throws<DefinitionException>(() => DefinitionReader.Read(FileName, json));

        Assert.Contains(exception.Errors, e => e.File == FileName && e.Path == path && e.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.Contains($"{FileName}: {path}: ", exception.Message, StringComparison.Ordinal);
    }
}
