using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>The office check is due in two working days: submitted Monday 2 March 2026, due Wednesday 4 March 17:30 in Shanghai.</summary>
public sealed class HumanTaskDueTests
{
    private const string DueTimer = "office-check#1:due";

    private static readonly DateTimeOffset Due = new(2026, 3, 4, 17, 30, 0, TimeSpan.FromHours(8));

    [Fact]
    public void A_due_date_schedules_a_timer()
    {
        var driver = Consultation.Submitted();

        Assert.Equal(Due, Assert.Single(driver.LastEffects.OfType<TaskOpened>()).DueAt);
        Assert.Equal(new TimerScheduled(DueTimer, "office-check#1", TimerPurpose.Deadline, Due), Assert.Single(driver.LastEffects.OfType<TimerScheduled>()));
    }

    [Fact]
    public void The_due_timer_marks_the_task_overdue_without_completing_it()
    {
        var driver = Consultation.Submitted();
        driver.Clock.SetUtcNow(Due);

        var effects = driver.Send(new FireTimer(DueTimer));

        Assert.Equal("office-check#1", Assert.Single(driver.Journal("TaskOverdue"))["bookmark"]!.GetValue<string>());
        Assert.DoesNotContain(effects, e => e is TaskClosed);
        Assert.Empty(driver.OpenBookmark(Consultation.OfficeCheck).TimerIds);

        var completion = driver.Send(new CompleteTask("office-check#1", OfficeXie, "accept"));
        Assert.DoesNotContain(completion, e => e is TimerCancelled { TimerId: DueTimer });
        Assert.True(driver.IsOpen(Consultation.Ballot));
    }

    [Fact]
    public void Completing_the_task_cancels_its_timer_and_a_late_firing_is_refused_as_closed()
    {
        var driver = Consultation.Submitted();

        var effects = driver.Send(new CompleteTask("office-check#1", OfficeXie, "accept"));

        Assert.Contains(new TimerCancelled(DueTimer), effects);
        driver.Refuse(new FireTimer(DueTimer), RefusalCode.Closed);
    }

    [Fact]
    public void A_task_without_a_due_date_has_no_timer()
    {
        var driver = Consultation.ReturnedForAmendment();

        var opened = Assert.Single(driver.LastEffects.OfType<TaskOpened>());
        Assert.Null(opened.DueAt);
        Assert.DoesNotContain(driver.LastEffects, e => e is TimerScheduled);
    }
}
