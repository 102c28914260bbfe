using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>Decision 109: a member leaving the committee while a ballot is open.</summary>
public sealed class BallotDepartureTests
{
    private static readonly DateOnly LeftOn = new(2026, 3, 2);

    [Fact]
    public void A_member_who_leaves_before_voting_leaves_the_eligible_count_and_the_journal_says_so()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();

        var effects = driver.Send(new VoterLeft(ballot, MemberLi, LeftOn, "change-1"));

        var recorded = Assert.Single(effects.OfType<RecusalRecorded>());
        Assert.Equal(new Recusal(MemberLi, BallotActivity.LeftCommitteeReason, Automatic: true), recorded.Recusal);
        var journal = Assert.Single(driver.Journal(JournalEventTypes.VoterLeft));
        Assert.Equal(("2026-03-02", "change-1", false, 12),
            (journal["leftOn"]!.GetValue<string>(), journal["change"]!.GetValue<string>(), journal["voteKept"]!.GetValue<bool>(), journal["eligible"]!.GetValue<int>()));
        Assert.Equal(12, driver.OpenBookmark(Consultation.Ballot).Ballot!.EligibleCount);
        driver.Refuse(new CastVote(ballot, MemberLi, "consent"), RefusalCode.Recused);
    }

    [Fact]
    public void A_member_who_already_voted_keeps_the_vote()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        driver.Send(new CastVote(ballot, MemberLi, "object"));

        var effects = driver.Send(new VoterLeft(ballot, MemberLi, LeftOn, "change-2"));

        Assert.Empty(effects.OfType<RecusalRecorded>());
        Assert.True(Assert.Single(driver.Journal(JournalEventTypes.VoterLeft))["voteKept"]!.GetValue<bool>());
        var state = driver.OpenBookmark(Consultation.Ballot).Ballot!;
        Assert.Equal((13, 1), (state.EligibleCount, state.TotalFor("object")));
    }

    [Fact]
    public void When_the_last_member_who_had_not_voted_leaves_the_ballot_is_decided_by_the_votes_cast()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        var others = MembersExcept(DetaiMember, MemberLi);
        driver.Votes(ballot, "consent", others.Take(6));
        driver.Votes(ballot, "object", others.Skip(6));
        Assert.True(driver.IsOpen(Consultation.Ballot)); // Li's vote could still make 7 of 13

        driver.Send(new VoterLeft(ballot, MemberLi, LeftOn, "change-3"));

        // 6 of the 12 still eligible is not more than half: decided now, with the votes cast.
        Assert.False(driver.IsOpen(Consultation.Ballot));
        Assert.Equal("rejected", Assert.Single(driver.EffectsOf<BallotClosed>()).Outcome);
    }

    [Fact]
    public void Someone_who_is_not_a_voter_or_is_already_out_of_the_count_changes_nothing()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();

        driver.Refuse(new VoterLeft(ballot, OfficeXie, LeftOn, "change-4"), RefusalCode.NotAllowed);
        driver.Refuse(new VoterLeft(ballot, DetaiMember, LeftOn, "change-5"), RefusalCode.Recused);
        driver.Send(new VoterLeft(ballot, MemberLi, LeftOn, "change-6"));
        driver.Refuse(new VoterLeft(ballot, MemberLi, LeftOn, "change-6"), RefusalCode.Recused);
    }
}
