using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

public sealed class IssueNumberActivityTests
{
    [Fact]
    public void A_number_is_requested_for_the_series_and_year()
    {
        var driver = InstanceDriver.Started(Numbering(""), DetaiLiaison);

        Assert.Equal(new NumberRequested("number", "reply", 2026, IssueNumberActivity.DefaultFormat), Assert.Single(driver.LastEffects.OfType<NumberRequested>()));
        Assert.Equal("issued", driver.State.Result);
    }

    [Theory]
    [InlineData("2026-12-31T15:59:59Z", 2026)] // 23:59:59 in Shanghai
    [InlineData("2026-12-31T16:00:00Z", 2027)] // midnight in Shanghai
    [InlineData("2026-12-31T17:00:00Z", 2027)] // still 2026 in UTC, already 2027 in Shanghai
    public void The_year_is_the_calendar_year_in_Shanghai(string utc, int year)
    {
        var driver = InstanceDriver.Started(Numbering(""), DetaiLiaison, now: DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(year, Assert.Single(driver.LastEffects.OfType<NumberRequested>()).Year);
    }

    [Fact]
    public void A_custom_format_is_passed_on()
    {
        var driver = InstanceDriver.Started(Numbering(""", "format": "滨委复〔{year}〕{seq}号" """), DetaiLiaison);

        Assert.Equal("滨委复〔{year}〕{seq}号", Assert.Single(driver.LastEffects.OfType<NumberRequested>()).Format);
    }

    [Theory]
    [InlineData(IssueNumberActivity.DefaultFormat, 7, "2026-0007")]
    [InlineData("滨委复〔{year}〕{seq}号", 12, "滨委复〔2026〕12号")]
    [InlineData("{year}-{seq:000}", 1234, "2026-1234")]
    public void A_number_is_formatted_from_year_and_sequence(string format, long sequence, string expected) =>
        Assert.Equal(expected, NumberFormat.Apply(format, 2026, sequence));

    private static WorkflowDefinition Numbering(string extra) => TestDefinitions.Flow(
        $$"""
        { "id": "number", "type": "issueNumber", "series": "reply"{{extra}} },
        { "id": "finish", "type": "end", "result": "issued" }
        """,
        """{ "from": "number", "to": "finish" }""");
}
