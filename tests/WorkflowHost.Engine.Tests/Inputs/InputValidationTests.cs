using System.Text.Json.Nodes;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;
using static WorkflowHost.Engine.Tests.Support.InputForm;

namespace WorkflowHost.Engine.Tests.Inputs;

public sealed class InputValidationTests
{
    [Fact]
    public void Valid_input_comes_back_normalised()
    {
        var (normalised, refusal) = Validate("""
            { "title": "  优秀党员  ", "kind": "award", "due": "2026-03-02", "count": 5, "nominee": "11010519491231002x", "urgent": true }
            """);

        Assert.Null(refusal);
        Assert.Equal(
            """{"title":"优秀党员","kind":"award","due":"2026-03-02","count":5,"nominee":"110***********002X","urgent":true}""",
            normalised!.ToJsonString(EngineJson.Options));
    }

    [Theory]
    [InlineData("""{ }""")]
    [InlineData("""{ "title": "   " }""")]
    [InlineData("""{ "title": null }""")]
    public void A_required_field_must_be_given(string input) =>
        AssertRefused(input, "title", "'title' is required.");

    [Theory]
    [InlineData("12345678901", false)]
    [InlineData("  1234567890  ", true)]   // trimmed first
    [InlineData("一二三四五六七八九十", true)]  // characters, not bytes
    [InlineData("第一行\n第二行", false)]       // text is one line
    public void Text_is_at_most_its_max_length_on_one_line(string title, bool accepted) =>
        AssertField(new JsonObject { ["title"] = title }, "title", accepted);

    [Theory]
    [InlineData("""{ "title": "t", "kind": "bonus" }""")]
    [InlineData("""{ "title": "t", "kind": "Award" }""")]
    [InlineData("""{ "title": "t", "kind": 1 }""")]
    public void A_choice_must_be_one_of_its_options(string input) =>
        AssertRefused(input, "kind", "'kind' must be one of: award, promotion.");

    [Theory]
    [InlineData("2026/03/10")]
    [InlineData("2026-02-30")]
    [InlineData("10-03-2026")]
    [InlineData("2026-03-10T00:00:00")]
    public void A_date_is_written_yyyy_MM_dd(string due) =>
        AssertRefused(new JsonObject { ["title"] = "t", ["due"] = due }, "due", "'due' must be a date written yyyy-MM-dd.");

    [Theory]
    [InlineData("2026-03-01", false)] // still today in UTC, but yesterday in Shanghai
    [InlineData("2026-03-02", true)]  // today in Shanghai
    [InlineData("2027-01-01", true)]
    public void A_date_not_in_the_past_is_judged_in_the_calendar_time_zone(string due, bool accepted) =>
        AssertField(new JsonObject { ["title"] = "t", ["due"] = due }, "due", accepted);

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("5", true)]
    [InlineData("6", false)]
    [InlineData("2.5", false)]
    [InlineData("\"3\"", false)]
    public void An_integer_is_whole_and_within_its_bounds(string count, bool accepted) =>
        AssertField(JsonNode.Parse($$"""{ "title": "t", "count": {{count}} }""")!.AsObject(), "count", accepted);

    [Fact]
    public void An_integer_built_in_code_is_read_like_parsed_json() =>
        AssertField(new JsonObject { ["title"] = "t", ["count"] = 3 }, "count", accepted: true);

    [Fact]
    public void An_unknown_field_is_refused() =>
        AssertRefused("""{ "title": "t", "titel": "typo" }""", "titel", "'titel' is not a field of 'test-flow'.");

    [Fact]
    public void Every_invalid_field_is_reported_at_once()
    {
        var (_, refusal) = Validate("""{ "kind": "bonus", "due": "2020-01-01", "count": 9, "nominee": "123", "urgent": "yes", "extra": 1 }""");

        Assert.Equal(RefusalCode.InvalidInput, refusal!.Code);
        Assert.Equal(["count", "due", "extra", "kind", "nominee", "title", "urgent"], refusal.FieldErrors!.Keys.Order(StringComparer.Ordinal));
    }
}
