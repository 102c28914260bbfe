using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

public sealed class HumanTaskAssigneeTests
{
    [Theory]
    [InlineData("""{ "role": "office" }""", AssignmentKind.Role, "office", OfficeXie, DetaiLiaison)]
    [InlineData("""{ "unit": "submitting" }""", AssignmentKind.Unit, DetaiUnit, DetaiLiaison, "p-inservice-huang")] // same unit, not its liaison
    [InlineData("""{ "unit": "unit-hongxin-law-firm" }""", AssignmentKind.Unit, "unit-hongxin-law-firm", LawFirmLiaison, DetaiLiaison)]
    [InlineData("""{ "initiator": true }""", AssignmentKind.Person, DetaiLiaison, DetaiLiaison, ShoppingCentreLiaison)]
    [InlineData("""{ "member": "p-member-li" }""", AssignmentKind.Person, MemberLi, MemberLi, Secretary)]
    public void A_task_is_for_its_assignee_only(string assignee, AssignmentKind kind, string value, string allowed, string refused)
    {
        var driver = InstanceDriver.Started(TaskFor(assignee), DetaiLiaison);
        var opened = Assert.Single(driver.LastEffects.OfType<TaskOpened>());
        Assert.Equal(new Assignment(kind, value), opened.Assignee);

        driver.Refuse(new CompleteTask(opened.BookmarkId, refused, "done"), RefusalCode.NotAllowed);
        driver.Send(new CompleteTask(opened.BookmarkId, allowed, "done"));

        Assert.Equal(InstanceStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void Anyone_holding_the_role_may_complete_a_role_task()
    {
        var driver = InstanceDriver.Started(TaskFor("""{ "role": "office" }"""), DetaiLiaison);

        driver.Send(new CompleteTask(driver.OpenBookmark("task").Id, "p-office-lu", "done"));

        Assert.Equal("p-office-lu", driver.State.Variables["task"]!["completedBy"]!.GetValue<string>());
    }

    [Fact]
    public void An_unknown_person_is_refused()
    {
        var driver = InstanceDriver.Started(TaskFor("""{ "initiator": true }"""), DetaiLiaison);

        driver.Refuse(new CompleteTask(driver.OpenBookmark("task").Id, "p-nobody", "done"), RefusalCode.NotAllowed);
    }

    private static WorkflowDefinition TaskFor(string assignee) => TestDefinitions.Flow(
        $$"""
        { "id": "task", "type": "humanTask", "assignee": {{assignee}}, "outcomes": [ { "name": "done" } ] },
        { "id": "finish", "type": "end", "result": "done" }
        """,
        """{ "from": "task", "outcome": "done", "to": "finish" }""");
}
