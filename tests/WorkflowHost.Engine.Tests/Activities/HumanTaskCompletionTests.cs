using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

public sealed class HumanTaskCompletionTests
{
    [Fact]
    public void Completing_a_task_records_it_and_follows_the_outcome()
    {
        var driver = Consultation.Submitted();
        var task = driver.OpenBookmark(Consultation.OfficeCheck).Id;

        var effects = driver.Send(new CompleteTask(task, OfficeXie, "return", "缺少单位党组织意见"));

        Assert.Contains(new TaskClosed(task, CloseReason.Completed, "return", OfficeXie), effects);
        var record = driver.State.Variables[Consultation.OfficeCheck]!;
        Assert.Equal(("return", OfficeXie, "缺少单位党组织意见"),
            (record["outcome"]!.GetValue<string>(), record["completedBy"]!.GetValue<string>(), record["comment"]!.GetValue<string>()));
        Assert.Equal(new Assignment(AssignmentKind.Person, DetaiLiaison), driver.OpenBookmark(Consultation.Amend).Task!.Assignee);
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("Accept")]
    [InlineData("resubmit")] // an outcome of another task
    public void An_outcome_the_task_does_not_declare_is_refused(string outcome)
    {
        var driver = Consultation.Submitted();

        driver.Refuse(new CompleteTask(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, outcome), RefusalCode.UnknownOption);
    }

    [Fact]
    public void A_task_that_does_not_amend_input_refuses_amended_input()
    {
        var driver = Consultation.Submitted();
        var amended = new JsonObject { ["reason"] = "改写" };

        driver.Refuse(new CompleteTask(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, "accept", AmendedInput: amended), RefusalCode.NotAllowed);
    }

    [Fact]
    public void A_completed_task_cannot_be_completed_again()
    {
        var driver = Consultation.Submitted();
        var task = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new CompleteTask(task, OfficeXie, "accept"));

        driver.Refuse(new CompleteTask(task, OfficeXie, "return"), RefusalCode.Closed);
    }
}
