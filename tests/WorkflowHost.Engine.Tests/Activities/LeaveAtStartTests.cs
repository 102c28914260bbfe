using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>
/// A leave that starts while tasks are open (decision 132): personal tasks go to the deputy, a claimed office task is
/// offered back, opinion tasks stay, and nothing moves back when the leave ends.
/// </summary>
public sealed class LeaveAtStartTests
{
    private const string OfficeLu = "p-office-lu";
    private const string Street = "p-street-qian";

    /// <summary>Tuesday to Friday of the drivers' first week: the tasks open on Monday, before the leave.</summary>
    private static PersonAbsence FromTuesday(string? deputy) => new(new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 6), deputy);

    private static InstanceDriver Submitted(ParticipantDirectory directory) =>
        InstanceDriver.Started(TestDefinitions.ConsultationWithClosingBallot, DetaiLiaison, PromotionInput.Valid(), directory: directory);

    private static void ToTuesday(InstanceDriver driver) => driver.Clock.Advance(TimeSpan.FromDays(1));

    [Fact]
    public void A_personal_task_open_when_the_leave_starts_goes_to_the_deputy_journaled_and_notified()
    {
        var driver = Submitted(WithAbsence(DetaiLiaison, FromTuesday(deputy: DetaiMember)));
        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, "return", "请补充推荐理由"));
        var amend = driver.OpenBookmark(Consultation.Amend).Id;
        Assert.Equal(new Assignment(AssignmentKind.Person, DetaiLiaison), driver.OpenBookmark(Consultation.Amend).Task!.Assignee);
        driver.Refuse(new RouteForLeave(DetaiLiaison), RefusalCode.NotAllowed); // Monday: not away yet

        ToTuesday(driver);
        var effects = driver.Send(new RouteForLeave(DetaiLiaison));

        var deputy = new Assignment(AssignmentKind.Person, DetaiMember);
        Assert.Equal(deputy, driver.OpenBookmark(Consultation.Amend).Task!.Assignee);
        Assert.Contains(new TaskReassigned(amend, deputy), effects);
        var routed = Assert.Single(driver.Journal(JournalEventTypes.TaskRoutedToDeputy));
        Assert.Equal((DetaiLiaison, DetaiMember, true), (routed["for"]!.GetValue<string>(), routed["deputy"]!.GetValue<string>(), routed["open"]!.GetValue<bool>()));
        Assert.Equal((DetaiMember, "task-routed-to-deputy"), effects.OfType<NotificationRequested>().Select(n => (n.RecipientId, n.Template)).Single());
        driver.Refuse(new CompleteTask(amend, DetaiLiaison, "resubmit"), RefusalCode.NotAllowed);

        // A second run finds nothing to move.
        driver.Refuse(new RouteForLeave(DetaiLiaison), RefusalCode.NotFound);
    }

    [Fact]
    public void An_office_task_the_person_claimed_is_offered_back_to_the_others_and_stays_so_after_the_leave()
    {
        var driver = Submitted(WithAbsence(OfficeLu, FromTuesday(deputy: null)));
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeLu));

        ToTuesday(driver);
        var effects = driver.Send(new RouteForLeave(OfficeLu));

        Assert.Null(driver.OpenBookmark(Consultation.OfficeCheck).Task!.Holder);
        Assert.Contains(new TaskHoldingChanged(check, null, null), effects);
        var back = Assert.Single(driver.Journal(JournalEventTypes.TaskOfferedBack));
        Assert.Equal((OfficeLu, "leave"), (back["from"]!.GetValue<string>(), back["reason"]!.GetValue<string>()));
        driver.Refuse(new ClaimTask(check, OfficeLu), RefusalCode.NotAllowed);
        driver.Send(new ClaimTask(check, OfficeXie));

        // After the leave nothing moves back: Xie keeps it, and the engine has no step that would hand it back.
        driver.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(OfficeXie, driver.OpenBookmark(Consultation.OfficeCheck).Task!.Holder);
        driver.Refuse(new RouteForLeave(OfficeLu), RefusalCode.NotAllowed);
    }

    [Fact]
    public void An_opinion_task_asked_of_the_person_stays_with_them()
    {
        var driver = Submitted(WithAbsence(Street, FromTuesday(deputy: Secretary)));
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeXie));
        driver.Send(new AddSigners(check, OfficeXie, [Street], "请提出意见"));

        ToTuesday(driver);
        driver.Refuse(new RouteForLeave(Street), RefusalCode.NotFound);

        Assert.Equal(Street, Assert.Single(driver.State.Bookmarks, b => b.Task?.SignerFor is not null).Task!.Assignee.Value);
    }
}
