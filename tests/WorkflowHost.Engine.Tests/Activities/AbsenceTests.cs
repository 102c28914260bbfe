using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>请假 / 代理: personal tasks go to the deputy, tasks for a role skip the person, and ballots are never delegated.</summary>
public sealed class AbsenceTests
{
    private const string OfficeLu = "p-office-lu";

    /// <summary>The whole first week of March 2026 (the drivers start on Monday 2 March).</summary>
    private static PersonAbsence ThisWeek(string? deputy) => new(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 6), deputy);

    private static InstanceDriver Submitted(ParticipantDirectory directory) =>
        InstanceDriver.Started(TestDefinitions.ConsultationWithClosingBallot, DetaiLiaison, PromotionInput.Valid(), directory: directory);

    [Fact]
    public void A_task_for_a_person_on_leave_goes_to_their_deputy_and_says_for_whom()
    {
        var driver = Submitted(WithAbsence(DetaiLiaison, ThisWeek(deputy: DetaiMember)));
        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, "return", "请补充推荐理由"));

        var amend = driver.OpenBookmark(Consultation.Amend);
        Assert.Equal(new Assignment(AssignmentKind.Person, DetaiMember), amend.Task!.Assignee);
        var routed = Assert.Single(driver.Journal(JournalEventTypes.TaskRoutedToDeputy));
        Assert.Equal((DetaiLiaison, DetaiMember, "2026-03-06"),
            (routed["for"]!.GetValue<string>(), routed["deputy"]!.GetValue<string>(), routed["awayUntil"]!.GetValue<string>()));
        driver.Refuse(new CompleteTask(amend.Id, DetaiLiaison, "resubmit"), RefusalCode.NotAllowed);
    }

    [Fact]
    public void After_the_leave_the_person_gets_their_tasks_again()
    {
        var directory = WithAbsence(DetaiLiaison, new PersonAbsence(new DateOnly(2026, 2, 23), new DateOnly(2026, 2, 27), DetaiMember));
        var driver = Submitted(directory);
        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, "return", "请补充推荐理由"));

        Assert.Equal(new Assignment(AssignmentKind.Person, DetaiLiaison), driver.OpenBookmark(Consultation.Amend).Task!.Assignee);
        Assert.Empty(driver.Journal(JournalEventTypes.TaskRoutedToDeputy));
    }

    [Fact]
    public void A_task_for_the_office_skips_the_person_on_leave_who_can_neither_claim_nor_be_handed_it_nor_is_urged()
    {
        var driver = Submitted(WithAbsence(OfficeLu, ThisWeek(deputy: null)));
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;

        var refusal = driver.Refuse(new ClaimTask(check, OfficeLu), RefusalCode.NotAllowed);
        Assert.Contains("2026-03-06", refusal.Message, StringComparison.Ordinal);
        var urged = driver.Send(new UrgeStep(check, Secretary)).OfType<NotificationRequested>().Select(n => n.RecipientId);
        Assert.Equal([OfficeXie], urged);
        driver.Send(new ClaimTask(check, OfficeXie));
        driver.Refuse(new TransferTask(check, OfficeXie, OfficeLu, "请陆鹏办理"), RefusalCode.NotAllowed);
    }

    [Fact]
    public void A_deputy_cannot_vote_for_a_member_on_leave_who_stays_in_the_eligible_count()
    {
        var directory = WithAbsence(MemberLi, ThisWeek(deputy: OfficeXie));
        var driver = Submitted(directory);
        var eligibleBefore = Consultation.AtBallot().OpenBookmark(Consultation.Ballot).Ballot!.EligibleCount;
        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, "accept"));
        var ballot = driver.OpenBookmark(Consultation.Ballot);

        Assert.Equal(eligibleBefore, ballot.Ballot!.EligibleCount);
        Assert.Contains(MemberLi, ballot.Ballot.Eligible);
        var refusal = driver.Refuse(new CastVote(ballot.Id, OfficeXie, "consent"), RefusalCode.NotAllowed);
        Assert.Contains("never delegated", refusal.Message, StringComparison.Ordinal);
        driver.Refuse(new CastVote(ballot.Id, MemberLi, "consent", EnteredBy: OfficeXie, Attestation: "代为表决"), RefusalCode.NotAllowed);
        driver.Refuse(new LeaveWrittenOpinion(ballot.Id, OfficeXie, "李委员同意"), RefusalCode.NotAllowed);
    }

    [Fact]
    public void A_member_on_leave_leaves_a_written_opinion_which_is_shown_and_never_counted()
    {
        var driver = Submitted(WithAbsence(MemberLi, ThisWeek(deputy: OfficeXie)));
        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, "accept"));
        var ballot = driver.OpenBookmark(Consultation.Ballot).Id;

        driver.Send(new LeaveWrittenOpinion(ballot, MemberLi, "本人出差，书面意见：同意推荐。"));

        var state = driver.OpenBookmark(Consultation.Ballot).Ballot!;
        Assert.Empty(state.Participants);
        Assert.All(state.Totals.Values, total => Assert.Equal(0, total));
        var opinion = Assert.Single(driver.State.Variables[Consultation.Ballot]!["writtenOpinions"]!.AsArray())!;
        Assert.Equal((MemberLi, "本人出差，书面意见：同意推荐。"), (opinion["by"]!.GetValue<string>(), opinion["text"]!.GetValue<string>()));
        Assert.Single(driver.Journal(JournalEventTypes.WrittenOpinionLeft));
        driver.Refuse(new LeaveWrittenOpinion(ballot, MemberLi, "再补充一句"), RefusalCode.OpinionGiven);
        driver.Refuse(new LeaveWrittenOpinion(ballot, MemberLi, " "), RefusalCode.InvalidInput);

        // The opinion is no vote: the member can still vote if they are back in time.
        driver.Send(new CastVote(ballot, MemberLi, "consent"));
    }
}
