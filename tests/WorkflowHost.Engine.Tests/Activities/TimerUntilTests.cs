using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>Timers that wait for a date from the instance data: until it begins, or until it has passed.</summary>
public sealed class TimerUntilTests
{
    private static WorkflowDefinition Waiting(string property) => TestDefinitions.Flow(
        $$"""
        { "id": "wait", "type": "timer", "{{property}}": "input.date" },
        { "id": "review", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ] },
        { "id": "end", "type": "end", "result": "done" }
        """,
        """{ "from": "wait", "to": "review" }, { "from": "review", "outcome": "ok", "to": "end" }""",
        """{ "name": "date", "type": "date", "required": true, "label": { "zh-CN": "日期", "en": "Date" } }""");

    private static InstanceDriver Start(string property, string date) =>
        InstanceDriver.Started(Waiting(property), DetaiLiaison, new JsonObject { ["date"] = date });

    [Fact]
    public void After_a_date_means_the_local_midnight_that_ends_it()
    {
        var driver = Start("after", "2026-03-14");

        Assert.Equal(new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.FromHours(8)), driver.OpenBookmark("wait").DueAt);
        Assert.Equal(TimerPurpose.Wait, Assert.Single(driver.LastEffects.OfType<TimerScheduled>()).Purpose);
    }

    [Fact]
    public void Until_a_date_means_the_local_midnight_that_begins_it()
    {
        var driver = Start("until", "2026-03-14");

        Assert.Equal(new DateTimeOffset(2026, 3, 14, 0, 0, 0, TimeSpan.FromHours(8)), driver.OpenBookmark("wait").DueAt);
    }

    [Fact]
    public void When_it_fires_the_flow_continues()
    {
        var driver = Start("after", "2026-03-14");
        driver.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.FromHours(8)));

        driver.Send(new FireTimer("wait#1:elapsed"));

        Assert.True(driver.IsOpen("review"));
    }

    [Theory]
    [InlineData("after", "2026-03-01")] // passed already (now is Monday 2 March)
    [InlineData("until", "2026-03-02")] // today has begun
    public void A_date_already_reached_continues_at_once(string property, string date)
    {
        var driver = Start(property, date);

        Assert.False(driver.IsOpen("wait"));
        Assert.True(driver.IsOpen("review"));
        Assert.Single(driver.Journal("TimerSkipped"));
        Assert.Empty(driver.LastEffects.OfType<TimerScheduled>());
    }

    [Theory]
    [InlineData("""{ "id": "wait", "type": "timer" }""")]
    [InlineData("""{ "id": "wait", "type": "timer", "duration": { "days": 1 }, "after": "input.date" }""")]
    [InlineData("""{ "id": "wait", "type": "timer", "until": "input.date", "after": "input.date" }""")]
    public void A_timer_sets_exactly_one_way_of_waiting(string timer) =>
        DefinitionAssert.AssertError(
            TestDefinitions.FlowJson(timer + """, { "id": "end", "type": "end", "result": "x" }""", """{ "from": "wait", "to": "end" }"""),
            "$.activities[0]", "a timer sets exactly one of 'duration', 'until'");
}
