using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>The consultation ballot: 14 members, Zheng recused (Detai submits), 13 eligible.</summary>
public sealed class BallotClosingTests
{
    private static readonly IReadOnlyList<string> Eligible = MembersExcept(DetaiMember);

    /// <summary>Five working days after Monday 2 March 2026: Monday 9 March, 17:30 in Shanghai.</summary>
    private static readonly DateTimeOffset Deadline = new(2026, 3, 9, 17, 30, 0, TimeSpan.FromHours(8));

    [Fact]
    public void The_deadline_is_five_working_days_away_and_has_a_timer()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();

        Assert.Equal(Deadline, Assert.Single(driver.LastEffects.OfType<BallotOpened>()).ClosesAt);
        Assert.Equal(new TimerScheduled($"{ballot}:deadline", ballot, TimerPurpose.Deadline, Deadline), Assert.Single(driver.LastEffects.OfType<TimerScheduled>()));
    }

    [Fact]
    public void Seven_consents_of_thirteen_pass_at_once_and_the_flow_follows_passed()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        driver.Votes(ballot, "consent", Eligible.Take(6));
        Assert.Empty(driver.EffectsOf<BallotClosed>());

        var effects = driver.Send(new CastVote(ballot, Eligible[6], "consent"));

        var closed = Assert.Single(effects.OfType<BallotClosed>());
        Assert.Equal(("passed", CloseReason.Decided, 7), (closed.Outcome, closed.Reason, closed.Totals["consent"]));
        Assert.Contains(new TimerCancelled($"{ballot}:deadline"), effects);
        Assert.Equal("reply-consent", Assert.Single(effects.OfType<DocumentRequested>()).ActivityId);
        Assert.Equal((InstanceStatus.Completed, "consent"), (driver.State.Status, driver.State.Result));
        Assert.Equal("passed", driver.State.Variables["committee-ballot"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public void Seven_objections_of_thirteen_reject_at_once()
    {
        var driver = Consultation.AtBallot();

        driver.Votes(driver.BallotBookmarkId(), "object", Eligible.Take(7));

        Assert.Equal("rejected", Assert.Single(driver.EffectsOf<BallotClosed>()).Outcome);
        Assert.Equal("reply-no-consent", Assert.Single(driver.EffectsOf<DocumentRequested>()).ActivityId);
        Assert.Equal("no-consent", driver.State.Result);
    }

    [Fact]
    public void A_ballot_still_open_closes_when_everyone_has_voted()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        driver.Votes(ballot, "consent", Eligible.Take(6));
        driver.Votes(ballot, "abstain", Eligible.Skip(6).Take(6));
        Assert.True(driver.IsOpen(Consultation.Ballot)); // the last vote can still pass it

        var effects = driver.Send(new CastVote(ballot, Eligible[12], "abstain"));

        var closed = Assert.Single(effects.OfType<BallotClosed>());
        Assert.Equal(("rejected", 6, 7), (closed.Outcome, closed.Totals["consent"], closed.Totals["abstain"]));
        Assert.Equal(13, driver.State.Variables["committee-ballot"]!["participants"]!.GetValue<int>());
    }

    [Fact]
    public void A_vote_after_the_ballot_closed_is_refused_as_closed()
    {
        var driver = BallotFlow.Opened();
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        driver.Votes(ballot, "object", Eligible.Take(7));
        Assert.True(driver.IsOpen(BallotFlow.Record));

        driver.Refuse(new CastVote(ballot, Eligible[8], "consent"), RefusalCode.Closed);
        driver.Refuse(new Recuse(ballot, Eligible[8], "too late"), RefusalCode.Closed);
    }

    [Fact]
    public void A_vote_after_the_consultation_ended_is_refused_as_ended()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        driver.Votes(ballot, "object", Eligible.Take(7));

        driver.Refuse(new CastVote(ballot, Eligible[8], "consent"), RefusalCode.InstanceEnded);
    }

    [Theory]
    [InlineData(6, 0, "no-quorum")]  // 6 consents: no quorum of 13
    [InlineData(6, 1, "rejected")]   // one objection more: quorum, but 6 consents are not more than half
    [InlineData(0, 0, "no-quorum")]
    public void The_deadline_closes_the_ballot_and_never_as_passed(int consents, int objections, string expected)
    {
        var driver = BallotFlow.Opened();
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        driver.Votes(ballot, "consent", Eligible.Take(consents));
        driver.Votes(ballot, "object", Eligible.Skip(consents).Take(objections));
        driver.Clock.SetUtcNow(Deadline);

        var effects = driver.Send(new FireTimer($"{ballot}:deadline"));

        var closed = Assert.Single(effects.OfType<BallotClosed>());
        Assert.Equal((expected, CloseReason.DeadlinePassed), (closed.Outcome, closed.Reason));
        // The timer that fired is settled, not cancelled; a reminder still pending is cancelled with the ballot.
        Assert.DoesNotContain(effects, e => e is TimerCancelled cancelled && cancelled.TimerId == $"{ballot}:deadline");
        Assert.Equal("deadline", driver.State.Variables[BallotFlow.Vote]!["closedBy"]!.GetValue<string>());
        driver.Refuse(new CastVote(ballot, Eligible[12], "consent"), RefusalCode.Closed);
    }

    [Fact]
    public void No_quorum_goes_to_the_secretary_who_can_open_a_new_ballot()
    {
        var driver = Consultation.AtBallot();
        var first = driver.BallotBookmarkId();
        driver.Clock.SetUtcNow(Deadline);
        driver.Send(new FireTimer($"{first}:deadline"));
        var review = driver.OpenBookmark("no-quorum-review");
        Assert.Equal(new Assignment(AssignmentKind.Role, "secretary"), review.Task!.Assignee);

        driver.Send(new CompleteTask(review.Id, Secretary, "revote"));

        var second = driver.BallotBookmarkId();
        Assert.NotEqual(first, second);
        driver.Refuse(new CastVote(first, MemberLi, "consent"), RefusalCode.Closed);
        driver.Send(new CastVote(second, MemberLi, "consent"));
    }

    [Fact]
    public void Firing_the_deadline_of_a_ballot_that_closed_early_is_refused_as_closed()
    {
        var driver = BallotFlow.Opened();
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        driver.Votes(ballot, "object", Eligible.Take(7));
        Assert.Contains(new TimerCancelled($"{ballot}:deadline"), driver.History);

        driver.Refuse(new FireTimer($"{ballot}:deadline"), RefusalCode.Closed);
    }
}
