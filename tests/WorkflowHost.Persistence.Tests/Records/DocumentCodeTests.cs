using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.Tests.Records;

/// <summary>Verification codes: derived from the whole canonical content under the key, printable, forgiving in how they are typed.</summary>
public sealed class DocumentCodeTests
{
    private static readonly DocumentCodes Codes = DocumentCodes.FromBase64(Support.WorkflowTestHost.DocumentKey);

    [Fact]
    public void A_code_is_sixteen_unambiguous_characters_in_groups_of_four()
    {
        var code = Codes.CodeFor("""{"number":"2026-0001"}""");

        Assert.Matches("^[A-HJKMNP-TV-Z0-9]{4}(-[A-HJKMNP-TV-Z0-9]{4}){3}$", code);
    }

    [Fact]
    public void Any_change_of_content_or_key_changes_the_code()
    {
        var code = Codes.CodeFor("""{"decision":"consent","number":"2026-0001"}""");

        Assert.NotEqual(code, Codes.CodeFor("""{"decision":"no-consent","number":"2026-0001"}"""));
        Assert.NotEqual(code, new DocumentCodes(new byte[32]).CodeFor("""{"decision":"consent","number":"2026-0001"}"""));
        Assert.Equal(code, Codes.CodeFor("""{"decision":"consent","number":"2026-0001"}"""));
    }

    [Fact]
    public void A_code_matches_whatever_its_case_spaces_and_hyphens()
    {
        var code = Codes.CodeFor("{}");

        Assert.True(Codes.Matches("{}", code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal)));
        Assert.False(Codes.Matches("{}", code[..^1] + (code[^1] == 'A' ? 'B' : 'A')));
        Assert.False(Codes.Matches("{}", ""));
    }

    [Fact]
    public void A_short_key_is_refused() =>
        Assert.Throws<ArgumentException>(() => new DocumentCodes(new byte[16]));

    [Fact]
    public void Canonical_json_sorts_keys_at_every_level() =>
        Assert.Equal("""{"a":[{"x":1,"y":2}],"b":"滨河"}""", CanonicalJson.Of(System.Text.Json.Nodes.JsonNode.Parse("""{ "b": "滨河", "a": [ { "y": 2, "x": 1 } ] }""")));
}
