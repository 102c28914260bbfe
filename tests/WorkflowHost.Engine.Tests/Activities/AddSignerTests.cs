using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>加签: the office asks the street committee for an opinion on a sensitive nomination before deciding the check.</summary>
public sealed class AddSignerTests
{
    private const string Street = "p-street-qian";

    private static (InstanceDriver Driver, string Check) Claimed()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeXie));
        return (driver, check);
    }

    private static Bookmark OpinionTask(InstanceDriver driver) =>
        Assert.Single(driver.State.Bookmarks, b => b.Task?.SignerFor is not null);

    [Fact]
    public void The_holder_asks_the_street_committee_and_the_check_waits_for_its_opinion_which_decides_nothing()
    {
        var (driver, check) = Claimed();

        var effects = driver.Send(new AddSigners(check, OfficeXie, [Street], "人选涉及辖区重点企业，请街道党工委提出意见"));

        var opinion = OpinionTask(driver);
        Assert.Equal(new Assignment(AssignmentKind.Person, Street), opinion.Task!.Assignee);
        Assert.Contains(effects.OfType<TaskOpened>(), o => o.BookmarkId == opinion.Id);
        Assert.Single(driver.Journal(JournalEventTypes.SignersAdded));
        driver.Refuse(new CompleteTask(check, OfficeXie, "accept"), RefusalCode.AwaitingOpinions);
        driver.Refuse(new CompleteTask(opinion.Id, Street, "opinion"), RefusalCode.InvalidInput); // an opinion needs its text

        driver.Send(new CompleteTask(opinion.Id, Street, "opinion", "同意推荐，请按程序办理。"));

        Assert.True(driver.IsOpen(Consultation.OfficeCheck), "the opinion never decides the check");
        Assert.False(driver.IsOpen(Consultation.Ballot));
        var given = Assert.Single(driver.State.Variables[Consultation.OfficeCheck]!["opinions"]!.AsArray())!;
        Assert.Equal((Street, "同意推荐，请按程序办理。"), (given["by"]!.GetValue<string>(), given["text"]!.GetValue<string>()));
        driver.Send(new CompleteTask(check, OfficeXie, "accept"));
        Assert.True(driver.IsOpen(Consultation.Ballot));
    }

    [Fact]
    public void A_missing_opinion_stops_the_wait_at_its_deadline_and_is_journaled()
    {
        var (driver, check) = Claimed();
        driver.Send(new AddSigners(check, OfficeXie, [Street]));
        var opinion = OpinionTask(driver);
        var timer = Assert.Single(opinion.TimerIds);

        driver.Clock.Advance(opinion.DueAt!.Value - driver.Clock.GetUtcNow());
        driver.Send(new FireTimer(timer));

        Assert.DoesNotContain(driver.State.Bookmarks, b => b.Id == opinion.Id);
        Assert.Equal(Street, Assert.Single(driver.Journal(JournalEventTypes.SignerOpinionMissed))["signer"]!.GetValue<string>());
        driver.Send(new CompleteTask(check, OfficeXie, "accept"));
    }

    [Fact]
    public void Only_the_holder_asks_only_whom_the_definition_allows_and_not_where_it_is_not_allowed()
    {
        var (driver, check) = Claimed();

        driver.Refuse(new AddSigners(check, "p-office-lu", [Street]), RefusalCode.NotHolder);
        driver.Refuse(new AddSigners(check, OfficeXie, [MemberLi]), RefusalCode.NotAllowed);
        driver.Refuse(new AddSigners(check, OfficeXie, []), RefusalCode.InvalidInput);

        var returned = Consultation.ReturnedForAmendment();
        var amend = returned.OpenBookmark(Consultation.Amend).Id;
        returned.Refuse(new AddSigners(amend, DetaiLiaison, [Street]), RefusalCode.NotAllowed);
    }

    [Fact]
    public void The_signer_answers_the_opinion_task_and_cannot_pass_it_on()
    {
        var (driver, check) = Claimed();
        driver.Send(new AddSigners(check, OfficeXie, [Street]));
        var opinion = OpinionTask(driver).Id;

        driver.Refuse(new DelegateTask(opinion, Street, OfficeXie, "请代拟意见"), RefusalCode.NotAllowed);
        driver.Refuse(new TransferTask(opinion, Street, OfficeXie, "由办公室答复"), RefusalCode.NotAllowed);
        driver.Refuse(new ClaimTask(opinion, Street), RefusalCode.NotAllowed);
        driver.Refuse(new ReleaseTask(opinion, Street, null), RefusalCode.NotAllowed);
        Assert.Equal(new Assignment(AssignmentKind.Person, Street), OpinionTask(driver).Task!.Assignee);
        Assert.Null(OpinionTask(driver).Task!.DelegatedTo);

        driver.Send(new CompleteTask(opinion, Street, "opinion", "同意推荐。"));
    }

    [Fact]
    public void An_extended_opinion_task_closes_at_its_new_time_and_not_before()
    {
        var (driver, check) = Claimed();
        driver.Send(new AddSigners(check, OfficeXie, [Street]));
        var opinion = OpinionTask(driver);
        var firstDue = opinion.DueAt!.Value;

        var extended = driver.Send(new ExtendDeadline(opinion.Id, Secretary, "街道党工委书记出差，延长一天", By: new WorkflowHost.Engine.Time.DurationSpec { WorkingDays = 1 }));

        var moved = Assert.Single(extended.OfType<DeadlineMoved>());
        Assert.True(moved.DueAt > firstDue);
        var scheduled = Assert.Single(extended.OfType<TimerScheduled>());
        Assert.Equal(moved.DueAt, scheduled.DueAt);
        Assert.DoesNotContain(extended, e => e is TimerScheduled { Purpose: TimerPurpose.Reminder or TimerPurpose.Escalation });
        driver.Refuse(new CompleteTask(check, OfficeXie, "accept"), RefusalCode.AwaitingOpinions);

        driver.Clock.Advance(moved.DueAt - driver.Clock.GetUtcNow());
        driver.Send(new FireTimer(scheduled.TimerId));

        Assert.DoesNotContain(driver.State.Bookmarks, b => b.Id == opinion.Id);
        Assert.Single(driver.Journal(JournalEventTypes.SignerOpinionMissed));
        Assert.Empty(driver.Journal(JournalEventTypes.TaskOverdue));
        driver.Send(new CompleteTask(check, OfficeXie, "accept"));
    }

    [Fact]
    public void The_holder_gives_an_earlier_deadline_and_the_question_is_kept_for_the_signer_but_not_one_past_the_process_limit()
    {
        var (driver, check) = Claimed();
        var now = driver.Clock.GetUtcNow();

        var late = driver.Refuse(new AddSigners(check, OfficeXie, [Street], DueAt: now.AddDays(30)), RefusalCode.InvalidInput);
        Assert.Contains("dueAt", late.FieldErrors!.Keys);
        driver.Refuse(new AddSigners(check, OfficeXie, [Street], DueAt: now.AddMinutes(-1)), RefusalCode.InvalidInput);

        driver.Send(new AddSigners(check, OfficeXie, [Street], "是否同意推荐？", DueAt: now.AddHours(4)));

        var opinion = OpinionTask(driver);
        Assert.Equal(now.AddHours(4), opinion.DueAt);
        var asked = Assert.Single(driver.State.Variables[Consultation.OfficeCheck]!["opinionRequests"]!.AsArray())!;
        Assert.Equal((check, opinion.Id, Street, "是否同意推荐？"),
            (asked["bookmark"]!.GetValue<string>(), asked["task"]!.GetValue<string>(), asked["signer"]!.GetValue<string>(), asked["question"]!.GetValue<string>()));
    }
}
