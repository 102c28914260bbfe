using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.DefinitionAssert;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>Well-formed definitions that break a rule: shares, ballot options, bilingual text. Each error names the file, the JSON path and the reason.</summary>
public sealed class DefinitionRuleTests
{
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
}
