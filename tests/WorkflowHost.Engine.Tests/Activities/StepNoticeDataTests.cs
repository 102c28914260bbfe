using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>
/// A task's move (转交) and a deadline's reminder (催办) describe the same step the same way: one builder gives both
/// notifications the case, the step and the process with their names; only what differs by kind is added.
/// </summary>
public sealed class StepNoticeDataTests
{
    private const string OfficeLu = "p-office-lu";

    private static readonly string[] StepFields =
        ["instance", "bookmark", "bookmarkKind", "activity", "activityName.zh-CN", "activityName.en", "process", "processName.zh-CN", "processName.en", "dueAt"];

    [Fact]
    public void A_transfer_and_an_urge_of_the_same_task_carry_the_same_step_fields()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeXie));
        var moved = Assert.Single(driver.Send(new TransferTask(check, OfficeXie, OfficeLu, "请陆鹏办理")).OfType<NotificationRequested>());
        var urged = Assert.Single(driver.Send(new UrgeStep(check, Secretary)).OfType<NotificationRequested>());

        Assert.Equal(["kind", .. StepFields, "reason"], moved.Data.Select(p => p.Key));
        Assert.Equal(["kind", .. StepFields, "notActed", "reason"], urged.Data.Select(p => p.Key));
        foreach (var field in StepFields)
        {
            Assert.Equal(moved.Data[field]?.ToJsonString(), urged.Data[field]?.ToJsonString());
        }

        Assert.Equal((check, "task", Consultation.OfficeCheck), (moved.Data["bookmark"]!.GetValue<string>(), moved.Data["bookmarkKind"]!.GetValue<string>(), moved.Data["activity"]!.GetValue<string>()));
        Assert.Equal(("task-transferred", "请陆鹏办理"), (moved.Data["kind"]!.GetValue<string>(), moved.Data["reason"]!.GetValue<string>()));
        Assert.Equal(("urge", 1), (urged.Data["kind"]!.GetValue<string>(), urged.Data["notActed"]!.GetValue<int>()));
    }
}
