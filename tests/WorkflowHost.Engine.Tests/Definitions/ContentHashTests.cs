using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>A revision is identified by content: formatting and key order never make a new one, any real change does.</summary>
public sealed class ContentHashTests
{
    private static readonly string SampleHash = Hash(SampleDefinition.Json);

    [Fact]
    public void Whitespace_does_not_change_the_hash()
    {
        var minified = JsonNode.Parse(SampleDefinition.Json)!.ToJsonString();
        var indented = JsonNode.Parse(SampleDefinition.Json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 8 });

        Assert.Equal(SampleHash, Hash(minified));
        Assert.Equal(SampleHash, Hash(indented));
    }

    [Fact]
    public void Key_order_does_not_change_the_hash() =>
        Assert.Equal(SampleHash, Hash(Reversed(JsonNode.Parse(SampleDefinition.Json))!.ToJsonString()));

    [Fact]
    public void Comments_and_escapes_do_not_change_the_hash()
    {
        var commented = SampleDefinition.Json.Replace("\"version\": 1,", "\"version\": 1, // first revision", StringComparison.Ordinal);
        var escaped = SampleDefinition.Json.Replace("示例", "\\u793a\\u4f8b", StringComparison.Ordinal);

        Assert.Equal(SampleHash, Hash(commented));
        Assert.Equal(SampleHash, Hash(escaped));
    }

    [Theory]
    [InlineData("version")]
    [InlineData("name")]
    [InlineData("outcome")]
    [InlineData("transition")]
    [InlineData("activity order")]
    public void Any_real_change_changes_the_hash(string change)
    {
        var changed = SampleDefinition.With(d =>
        {
            switch (change)
            {
                case "version": d["version"] = 2; break;
                case "name": d["name"]!["zh-CN"] = "示例流程"; break;
                case "outcome": d.Activity(0)["outcomes"]![0]!["label"] = JsonNode.Parse("""{ "zh-CN": "通过", "en": "Accept" }"""); break;
                case "transition": d.Transitions()[4]!["to"] = "yes"; break;
                default: d.Activities().Add(d.Activities()[0]!.DeepClone()); d.Activities().RemoveAt(0); break;
            }
        });

        Assert.NotEqual(SampleHash, Hash(changed));
    }

    [Fact]
    public void The_revision_names_version_and_hash()
    {
        var definition = DefinitionReader.Read("sample.json", SampleDefinition.Json);

        Assert.Equal($"1-{definition.ContentHash[..12]}", definition.Revision);
        Assert.Equal(definition.ContentHash, DefinitionReader.ReadStored(definition.SourceJson).ContentHash);
    }

    private static string Hash(string json) => DefinitionReader.Read("sample.json", json).ContentHash;

    private static JsonNode? Reversed(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Reverse().Select(p => KeyValuePair.Create(p.Key, Reversed(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Reversed)]),
        _ => node?.DeepClone(),
    };

    [Fact]
    public void A_stored_revision_reads_back_though_its_canonical_form_is_larger_than_a_file_may_be()
    {
        // Found by the mutation fuzzer: 200,000 Chinese characters fit in a file (600 kB of UTF-8) but not, escaped as
        // \uXXXX, in the stored canonical form, which the reader then refused: the instances on it would be stranded.
        var root = JsonNode.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Workflows, "activity-co-organisation.json")))!;
        var condition = root["activities"]!.AsArray().Select(a => a!["fields"]?.AsArray().Select(f => f!["requiredIf"]).FirstOrDefault(r => r is not null))
            .First(r => r is not null)!;
        condition["equalTo"] = new string('长', 200_000);
        var definition = DefinitionReader.Read("large.json", root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        Assert.True(definition.SourceJson.Length > DefinitionReader.MaxFileBytes);
        Assert.Equal(definition.ContentHash, DefinitionReader.ReadStored(definition.SourceJson).ContentHash);
    }
}
