using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>Three branches: a task with a due date, a timer, and a task that leads to the end.</summary>
public sealed class EndActivityTests
{
    private static readonly WorkflowDefinition Definition = TestDefinitions.Flow(
        """
        { "id": "split", "type": "parallelSplit" },
        { "id": "pending", "type": "humanTask", "assignee": { "role": "office" }, "due": { "workingDays": 1 }, "outcomes": [ { "name": "done" } ] },
        { "id": "wait", "type": "timer", "duration": { "hours": 4 } },
        { "id": "decide", "type": "humanTask", "assignee": { "role": "secretary" }, "outcomes": [ { "name": "finish" } ] },
        { "id": "finish", "type": "end", "result": "finished" }
        """,
        """
        { "from": "split", "to": "pending" },
        { "from": "split", "to": "wait" },
        { "from": "split", "to": "decide" },
        { "from": "pending", "outcome": "done", "to": "finish" },
        { "from": "wait", "to": "finish" },
        { "from": "decide", "outcome": "finish", "to": "finish" }
        """);

    [Fact]
    public void The_end_completes_the_instance_and_closes_every_other_open_step()
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);
        var pending = driver.OpenBookmark("pending");
        var wait = driver.OpenBookmark("wait");
        driver.Clock.Advance(TimeSpan.FromHours(1));

        var effects = driver.Send(new CompleteTask(driver.OpenBookmark("decide").Id, Secretary, "finish"));

        Assert.Equal((InstanceStatus.Completed, "finished", driver.Clock.GetUtcNow()), (driver.State.Status, driver.State.Result, driver.State.EndedAt));
        Assert.Empty(driver.State.Bookmarks);
        Assert.Contains(new TaskClosed(pending.Id, CloseReason.InstanceEnded), effects);
        Assert.Equal([.. pending.TimerIds, .. wait.TimerIds], effects.OfType<TimerCancelled>().Select(t => t.TimerId));
        Assert.Contains(pending.Id, driver.State.ClosedBookmarks);
        Assert.Contains(wait.Id, driver.State.ClosedBookmarks);
        Assert.Equal("finished", Assert.Single(driver.Journal("InstanceCompleted"))["result"]!.GetValue<string>());
    }

    [Fact]
    public void After_the_end_every_stimulus_is_refused_as_ended()
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);
        var pending = driver.OpenBookmark("pending").Id;
        driver.Send(new CompleteTask(driver.OpenBookmark("decide").Id, Secretary, "finish"));

        driver.Refuse(new CompleteTask(pending, OfficeXie, "done"), RefusalCode.InstanceEnded);
        driver.Refuse(new FireTimer("wait#2:elapsed"), RefusalCode.InstanceEnded);
        driver.Refuse(new Withdraw(DetaiLiaison), RefusalCode.InstanceEnded);
    }
}
