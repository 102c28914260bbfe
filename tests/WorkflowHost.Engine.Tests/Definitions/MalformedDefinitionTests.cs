using System.Text;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.DefinitionAssert;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>A file that is not a well-formed definition: bad bytes, bad JSON, missing, mistyped or unknown properties. Each error names the file, the JSON path and the reason.</summary>
public sealed class MalformedDefinitionTests
{
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

    [Theory]
    [InlineData("\"id\": \"sample\",", "$.id", "'id' is written twice")]
    [InlineData("\"zh-CN\": \"又一个\",", "$.name.zh-CN", "'zh-CN' is written twice")]
    public void A_key_written_twice_is_refused_with_its_path(string duplicate, string path, string reason)
    {
        // Found by the mutation fuzzer: a duplicated key used to escape as an ArgumentException from the JSON tree.
        var json = duplicate.StartsWith("\"id", StringComparison.Ordinal)
            ? SampleDefinition.Json.Replace("\"version\"", duplicate + " \"version\"", StringComparison.Ordinal)
            : SampleDefinition.Json.Replace("\"en\": \"Sample\"", duplicate + " \"en\": \"Sample\"", StringComparison.Ordinal);

        AssertError(json, path, reason);
    }

    [Fact]
    public void A_null_list_item_is_refused_with_its_path() =>
        // Found by the mutation fuzzer: the null reached the graph check as a NullReferenceException.
        AssertError(SampleDefinition.With(d => d.Transitions()[3] = null), "$.transitions[3]", "cannot be null");

    [Fact]
    public void A_null_map_value_is_refused_with_its_path() =>
        // Found by the mutation fuzzer: a null document content value reached its validator as a NullReferenceException.
        AssertError(
            SampleDefinition.With(d => d.Activities().Add(JsonNode.Parse("""
                { "id": "reply", "type": "issueDocument", "document": "reply", "series": "reply", "format": "{seq}", "content": { "unit": null } }
                """))),
            "$.activities[4].content.unit",
            "cannot be null");

    [Fact]
    public void Unknown_activity_type() =>
        AssertError(SampleDefinition.With(d => d.Activity(1)["type"] = "vote"), "$.activities[1].type", "unknown activity type 'vote'");

    [Fact]
    public void Missing_activity_type() =>
        AssertError(SampleDefinition.With(d => d.Activity(2).Remove("type")), "$.activities[2].type", "unknown activity type '(missing)'");

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
}
