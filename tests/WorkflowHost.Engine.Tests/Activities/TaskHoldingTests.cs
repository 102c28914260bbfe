using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>认领、释放、转交: the office check is offered to the office's people; one takes it, and the moves are journaled.</summary>
public sealed class TaskHoldingTests
{
    private const string OfficeLu = "p-office-lu";

    [Fact]
    public void The_office_claims_the_check_and_the_claim_is_journaled_and_shown_to_the_store()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;

        var effects = driver.Send(new ClaimTask(check, OfficeXie));

        Assert.Equal(OfficeXie, driver.OpenBookmark(Consultation.OfficeCheck).Task!.Holder);
        Assert.Contains(new TaskHoldingChanged(check, OfficeXie, null), effects);
        var claimed = Assert.Single(driver.Journal(JournalEventTypes.TaskClaimed));
        Assert.Equal(OfficeXie, claimed["by"]!.GetValue<string>());
    }

    [Fact]
    public void Of_two_claims_the_first_wins_and_the_second_is_told_who_holds_the_task()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        var lu = driver.TrySend(new ClaimTask(check, OfficeLu));
        var xie = driver.TrySend(new ClaimTask(check, OfficeXie));
        Assert.True(lu.Accepted && xie.Accepted, "each claim alone, on the state both read, is accepted");

        // The store applies one of them first; the other is retried on the new state and refused.
        driver.Send(new ClaimTask(check, OfficeLu));
        var refusal = driver.Refuse(new ClaimTask(check, OfficeXie), RefusalCode.AlreadyClaimed);

        Assert.Contains(OfficeLu, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_holder_completes_a_claimed_task_and_an_unclaimed_one_is_completed_as_before()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeLu));

        driver.Refuse(new CompleteTask(check, OfficeXie, "accept"), RefusalCode.NotHolder);
        driver.Send(new CompleteTask(check, OfficeLu, "accept"));

        Assert.True(driver.IsOpen(Consultation.Ballot));
    }

    [Fact]
    public void Nobody_outside_the_office_can_claim_and_a_task_for_one_person_has_nothing_to_claim()
    {
        var driver = Consultation.ReturnedForAmendment();

        driver.Refuse(new ClaimTask(driver.OpenBookmark(Consultation.Amend).Id, DetaiLiaison), RefusalCode.NotAllowed);

        var submitted = Consultation.Submitted();
        submitted.Refuse(new ClaimTask(submitted.OpenBookmark(Consultation.OfficeCheck).Id, MemberLi), RefusalCode.NotAllowed);
    }

    [Fact]
    public void The_holder_releases_the_task_and_anyone_of_the_office_can_take_it()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeXie));

        driver.Refuse(new ReleaseTask(check, OfficeLu), RefusalCode.NotHolder);
        var effects = driver.Send(new ReleaseTask(check, OfficeXie, "出差"));

        Assert.Null(driver.OpenBookmark(Consultation.OfficeCheck).Task!.Holder);
        Assert.Contains(new TaskHoldingChanged(check, null, null), effects);
        Assert.Single(effects.OfType<TimerCancelled>()); // the claim timeout goes with the claim
        Assert.Equal("出差", Assert.Single(driver.Journal(JournalEventTypes.TaskReleased))["reason"]!.GetValue<string>());
        driver.Send(new ClaimTask(check, OfficeLu));
    }

    [Fact]
    public void A_claimed_task_left_untouched_for_the_claim_timeout_is_offered_back_and_journaled()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        var timer = driver.Send(new ClaimTask(check, OfficeXie)).OfType<TimerScheduled>().Single();
        Assert.Equal(TimerPurpose.ClaimTimeout, timer.Purpose);
        Assert.InRange(timer.DueAt, InstanceDriver.MondayMorning.AddHours(20), InstanceDriver.MondayMorning.AddDays(2)); // one working day

        driver.Clock.Advance(timer.DueAt - driver.Clock.GetUtcNow());
        var effects = driver.Send(new FireTimer(timer.TimerId));

        Assert.Null(driver.OpenBookmark(Consultation.OfficeCheck).Task!.Holder);
        Assert.Contains(new TaskHoldingChanged(check, null, null), effects);
        var back = Assert.Single(driver.Journal(JournalEventTypes.TaskOfferedBack));
        Assert.Equal(OfficeXie, back["from"]!.GetValue<string>());
        Assert.Equal("claimTimeout", back["reason"]!.GetValue<string>());
    }

    [Fact]
    public void A_holder_who_comments_on_the_task_keeps_it_past_the_claim_timeout()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        var timer = driver.Send(new ClaimTask(check, OfficeXie)).OfType<TimerScheduled>().Single();
        driver.Send(new AddComment(OfficeXie, "正在核对任免审批表", check));

        driver.Clock.Advance(timer.DueAt - driver.Clock.GetUtcNow());
        driver.Send(new FireTimer(timer.TimerId));

        Assert.Equal(OfficeXie, driver.OpenBookmark(Consultation.OfficeCheck).Task!.Holder);
        Assert.Empty(driver.Journal(JournalEventTypes.TaskOfferedBack));
    }

    [Fact]
    public void A_timeout_of_an_earlier_claim_does_not_take_the_task_from_a_later_holder()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        var first = driver.Send(new ClaimTask(check, OfficeXie)).OfType<TimerScheduled>().Single();
        driver.Send(new TransferTask(check, OfficeXie, OfficeLu, "谢主任出差，请陆鹏办理"));

        // The first claim's timer was cancelled; were its job to fire anyway, the store would say the timer is unknown.
        Assert.Contains(new TimerCancelled(first.TimerId), driver.History);
        driver.Clock.Advance(TimeSpan.FromHours(12));
        driver.Refuse(new FireTimer(first.TimerId), RefusalCode.NotFound);
        Assert.Equal(OfficeLu, driver.OpenBookmark(Consultation.OfficeCheck).Task!.Holder);
    }
}
