using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>The unit may withdraw its consultation before a decision: everything it waits on is closed.</summary>
public sealed class WithdrawalTests
{
    public static TheoryData<string, int> WaitingPoints => new()
    {
        { Consultation.OfficeCheck, 1 }, // the due-date timer
        { Consultation.Amend, 0 },
        { Consultation.Ballot, 1 },      // the ballot deadline
    };

    [Theory]
    [MemberData(nameof(WaitingPoints))]
    public void The_initiator_withdraws_at_a_waiting_point_and_everything_is_closed(string waitingPoint, int timers)
    {
        var driver = WaitingAt(waitingPoint);
        var open = driver.OpenBookmark(waitingPoint);

        var effects = driver.Send(new Withdraw(DetaiLiaison, "人选已调离"));

        Assert.Equal((InstanceStatus.Withdrawn, "withdrawn"), (driver.State.Status, driver.State.Result));
        Assert.Empty(driver.State.Bookmarks);
        Assert.Contains(open.Kind == BookmarkKind.Ballot
            ? new BallotClosed(open.Id, "cancelled", CloseReason.Withdrawn, open.Ballot!.Totals)
            : new TaskClosed(open.Id, CloseReason.Withdrawn), effects, EffectComparer.Instance);
        Assert.Equal(timers, open.TimerIds.Count);
        Assert.Equal(open.TimerIds, effects.OfType<TimerCancelled>().Select(t => t.TimerId));
        Assert.Equal("人选已调离", Assert.Single(driver.Journal("InstanceWithdrawn"))["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(Consultation.OfficeCheck, OfficeXie)]
    [InlineData(Consultation.Amend, Secretary)]
    [InlineData(Consultation.Ballot, ShoppingCentreLiaison)]
    [InlineData(Consultation.Ballot, DetaiMember)]
    public void Anyone_but_the_initiator_is_refused(string waitingPoint, string actor) =>
        WaitingAt(waitingPoint).Refuse(new Withdraw(actor), RefusalCode.NotAllowed);

    [Fact]
    public void After_the_end_withdrawal_is_refused()
    {
        var driver = Consultation.AtBallot();
        driver.Votes(driver.BallotBookmarkId(), "consent", MembersExcept(DetaiMember).Take(7));
        Assert.Equal(InstanceStatus.Completed, driver.State.Status);

        driver.Refuse(new Withdraw(DetaiLiaison), RefusalCode.InstanceEnded);
    }

    [Fact]
    public void A_withdrawn_instance_refuses_everything()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        driver.Send(new Withdraw(DetaiLiaison));

        driver.Refuse(new Withdraw(DetaiLiaison), RefusalCode.InstanceEnded);
        driver.Refuse(new CastVote(ballot, MemberLi, "consent"), RefusalCode.InstanceEnded);
        driver.Refuse(new FireTimer($"{ballot}:deadline"), RefusalCode.InstanceEnded);
    }

    private static InstanceDriver WaitingAt(string waitingPoint) => waitingPoint switch
    {
        Consultation.OfficeCheck => Consultation.Submitted(),
        Consultation.Amend => Consultation.ReturnedForAmendment(),
        _ => Consultation.AtBallot(),
    };
}
