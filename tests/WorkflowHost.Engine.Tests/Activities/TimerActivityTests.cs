using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

public sealed class TimerActivityTests
{
    private const string Elapsed = "wait#1:elapsed";

    [Fact]
    public void A_timer_schedules_its_wait()
    {
        var driver = InstanceDriver.Started(Waiting("""{ "hours": 2 }"""), DetaiLiaison);

        var due = InstanceDriver.MondayMorning.AddHours(2);
        Assert.Equal(new TimerScheduled(Elapsed, "wait#1", TimerPurpose.Wait, due), Assert.Single(driver.LastEffects.OfType<TimerScheduled>()));
        Assert.Equal((BookmarkKind.Timer, due), (driver.OpenBookmark("wait").Kind, driver.OpenBookmark("wait").DueAt));
    }

    [Fact]
    public void Working_days_follow_the_calendar_across_national_day()
    {
        var wednesdayBeforeHoliday = new DateTimeOffset(2026, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

        var driver = InstanceDriver.Started(Waiting("""{ "workingDays": 1 }"""), DetaiLiaison, now: wednesdayBeforeHoliday);

        Assert.Equal(new DateTimeOffset(2026, 10, 8, 17, 30, 0, TimeSpan.FromHours(8)), Assert.Single(driver.LastEffects.OfType<TimerScheduled>()).DueAt);
    }

    [Fact]
    public void When_the_timer_fires_the_flow_continues()
    {
        var driver = InstanceDriver.Started(Waiting("""{ "hours": 2 }"""), DetaiLiaison);
        driver.Clock.Advance(TimeSpan.FromHours(2));

        var effects = driver.Send(new FireTimer(Elapsed));

        Assert.Single(driver.Journal("TimerElapsed"));
        Assert.False(driver.IsOpen("wait"));
        Assert.Equal("review", Assert.Single(effects.OfType<TaskOpened>()).ActivityId);
        Assert.DoesNotContain(effects, e => e is TimerCancelled);
    }

    [Fact]
    public void A_timer_that_already_fired_is_refused_as_closed()
    {
        var driver = InstanceDriver.Started(Waiting("""{ "hours": 2 }"""), DetaiLiaison);
        driver.Send(new FireTimer(Elapsed));

        driver.Refuse(new FireTimer(Elapsed), RefusalCode.Closed);
    }

    [Fact]
    public void A_timer_that_never_existed_is_refused_as_not_found()
    {
        var driver = InstanceDriver.Started(Waiting("""{ "hours": 2 }"""), DetaiLiaison);

        driver.Refuse(new FireTimer("wait#7:elapsed"), RefusalCode.NotFound);
        driver.Refuse(new FireTimer("wait#1:reminder"), RefusalCode.NotFound);
    }

    private static WorkflowDefinition Waiting(string duration) => TestDefinitions.Flow(
        $$"""
        { "id": "wait", "type": "timer", "duration": {{duration}} },
        { "id": "review", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "done" } ] },
        { "id": "finish", "type": "end", "result": "done" }
        """,
        """
        { "from": "wait", "to": "review" },
        { "from": "review", "outcome": "done", "to": "finish" }
        """);
}
