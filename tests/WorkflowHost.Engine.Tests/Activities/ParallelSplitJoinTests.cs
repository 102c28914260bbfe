using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

public sealed class ParallelSplitJoinTests
{
    private static readonly WorkflowDefinition Definition = TestDefinitions.Flow(
        """
        { "id": "split", "type": "parallelSplit" },
        { "id": "office-view", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "done" } ] },
        { "id": "secretary-view", "type": "humanTask", "assignee": { "role": "secretary" }, "outcomes": [ { "name": "done" } ] },
        { "id": "join", "type": "join" },
        { "id": "sign", "type": "humanTask", "assignee": { "role": "secretary" }, "outcomes": [ { "name": "done" } ] },
        { "id": "finish", "type": "end", "result": "signed" }
        """,
        """
        { "from": "split", "to": "office-view" },
        { "from": "split", "to": "secretary-view" },
        { "from": "office-view", "outcome": "done", "to": "join" },
        { "from": "secretary-view", "outcome": "done", "to": "join" },
        { "from": "join", "to": "sign" },
        { "from": "sign", "outcome": "done", "to": "finish" }
        """);

    [Fact]
    public void A_split_opens_a_task_on_every_branch()
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);

        Assert.Equal(["office-view", "secretary-view"], driver.LastEffects.OfType<TaskOpened>().Select(t => t.ActivityId));
    }

    [Theory]
    [InlineData("office-view", OfficeXie, "secretary-view", Secretary)]
    [InlineData("secretary-view", Secretary, "office-view", OfficeXie)]
    public void The_join_waits_for_every_branch_then_continues_once(string firstTask, string firstActor, string lastTask, string lastActor)
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);

        driver.Send(new CompleteTask(driver.OpenBookmark(firstTask).Id, firstActor, "done"));
        Assert.False(driver.IsOpen("sign"));
        Assert.Equal(1, driver.State.JoinArrivals["join"]);

        driver.Send(new CompleteTask(driver.OpenBookmark(lastTask).Id, lastActor, "done"));

        Assert.Single(driver.EffectsOf<TaskOpened>(), t => t.ActivityId == "sign");
        Assert.Equal(2, Assert.Single(driver.Journal("BranchesJoined"))["branches"]!.GetValue<int>());
        Assert.Empty(driver.State.JoinArrivals);
        Assert.Equal(["sign"], driver.State.Bookmarks.Select(b => b.ActivityId));
    }
}
