using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>
/// The secretary closes an overdue ballot of the shipped consultation (a <c>due</c> ballot that otherwise waits for
/// votes for ever): the rule decides on the votes cast, never a pass by default.
/// </summary>
public sealed class BallotOverdueCloseTests
{
    private static InstanceDriver AtDueBallot()
    {
        var driver = InstanceDriver.Started(TestDefinitions.PromotionConsultation, DetaiLiaison, PromotionInput.Valid());
        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, "accept"));
        return driver;
    }

    private static IReadOnlyList<string> Eligible => MembersExcept(DetaiMember);

    [Fact]
    public void Before_its_deadline_a_ballot_cannot_be_closed_as_overdue()
    {
        var driver = AtDueBallot();
        driver.Clock.Advance(TimeSpan.FromDays(1));

        driver.Refuse(new CloseOverdueBallot(driver.BallotBookmarkId(), Secretary, "会期已过"), RefusalCode.NotOverdue);
    }

    [Fact]
    public void Only_the_secretary_closes_an_overdue_ballot_and_only_with_a_reason()
    {
        var driver = AtDueBallot();
        driver.Clock.Advance(TimeSpan.FromDays(14));

        driver.Refuse(new CloseOverdueBallot(driver.BallotBookmarkId(), OfficeXie, "会期已过"), RefusalCode.NotAllowed);
        var refusal = driver.Refuse(new CloseOverdueBallot(driver.BallotBookmarkId(), Secretary, "  "), RefusalCode.InvalidInput);
        Assert.Equal(["reason"], refusal.FieldErrors!.Keys);
    }

    [Fact]
    public void An_overdue_ballot_without_a_quorum_closes_as_no_quorum_and_goes_to_the_secretarys_review()
    {
        var driver = AtDueBallot();
        driver.Votes(driver.BallotBookmarkId(), "consent", Eligible.Take(3));
        driver.Clock.Advance(TimeSpan.FromDays(14));

        driver.Send(new CloseOverdueBallot(driver.BallotBookmarkId(), Secretary, "逾期未达法定人数"));

        Assert.False(driver.IsOpen(Consultation.Ballot));
        Assert.True(driver.IsOpen("no-quorum-review"));
        Assert.Equal("no-quorum", Assert.Single(driver.Journal("BallotClosed"))["outcome"]!.GetValue<string>());
        var closed = Assert.Single(driver.Journal("BallotClosedBySecretary"));
        Assert.Equal(Secretary, closed["by"]!.GetValue<string>());
        Assert.Equal("逾期未达法定人数", closed["reason"]!.GetValue<string>());
        Assert.Equal(Secretary, driver.State.Variables[Consultation.Ballot]!["closedBy"]!.GetValue<string>());
    }

    [Fact]
    public void An_overdue_ballot_with_a_quorum_but_too_few_consents_is_rejected_not_passed()
    {
        var driver = AtDueBallot();
        var ballot = driver.BallotBookmarkId();
        driver.Votes(ballot, "consent", Eligible.Take(6));
        driver.Votes(ballot, "object", Eligible.Skip(6).Take(1));
        Assert.True(driver.IsOpen(Consultation.Ballot)); // six more consents could still carry it
        driver.Clock.Advance(TimeSpan.FromDays(14));

        driver.Send(new CloseOverdueBallot(ballot, Secretary, "逾期，按已投票数决定"));

        Assert.Equal("rejected", Assert.Single(driver.Journal("BallotClosed"))["outcome"]!.GetValue<string>());
        Assert.Equal("no-consent", driver.State.Result);
    }
}
