using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

public sealed class BallotRecusalTests
{
    [Fact]
    public void The_member_from_the_submitting_unit_is_recused_automatically()
    {
        var driver = Consultation.AtBallot(DetaiLiaison);

        var opened = Assert.Single(driver.LastEffects.OfType<BallotOpened>());
        var recusal = Assert.Single(opened.Recusals);
        Assert.Equal(new Recusal(DetaiMember, recusal.Reason, Automatic: true), recusal);
        Assert.DoesNotContain(DetaiMember, opened.EligibleVoters);
        Assert.Equal(13, opened.EligibleVoters.Count);

        var journal = Assert.Single(driver.Journal("BallotOpened"));
        Assert.Equal([DetaiMember], journal["recused"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(13, driver.OpenBookmark(Consultation.Ballot).Ballot!.EligibleCount);
    }

    [Fact]
    public void A_unit_without_a_committee_member_recuses_nobody()
    {
        var driver = Consultation.AtBallot(ShoppingCentreLiaison);

        var opened = Assert.Single(driver.LastEffects.OfType<BallotOpened>());
        Assert.Empty(opened.Recusals);
        Assert.Equal(CommitteeMembers, opened.EligibleVoters);
        Assert.Equal(14, driver.OpenBookmark(Consultation.Ballot).Ballot!.EligibleCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_recusal_without_a_reason_is_refused(string reason)
    {
        var driver = Consultation.AtBallot();

        var refusal = driver.Refuse(new Recuse(driver.BallotBookmarkId(), MemberLi, reason), RefusalCode.InvalidInput);

        Assert.Equal(["reason"], refusal.FieldErrors!.Keys);
        Assert.Equal(0, driver.OpenBookmark(Consultation.Ballot).Ballot!.Recusals.Count(r => !r.Automatic));
    }

    [Fact]
    public void A_member_can_recuse_themselves_with_a_reason()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();

        var effects = driver.Send(new Recuse(ballot, MemberLi, "人选系本人亲属"));

        var recorded = Assert.Single(effects.OfType<RecusalRecorded>());
        Assert.Equal(new Recusal(MemberLi, "人选系本人亲属", Automatic: false), recorded.Recusal);
        var journal = Assert.Single(driver.Journal("Recused"));
        Assert.Equal("人选系本人亲属", journal["reason"]!.GetValue<string>());
        Assert.Equal(12, driver.OpenBookmark(Consultation.Ballot).Ballot!.EligibleCount);
    }

    [Theory]
    [InlineData(DetaiMember)]
    [InlineData(MemberLi)]
    public void A_recused_member_cannot_vote_or_recuse_again(string member)
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        if (member == MemberLi)
        {
            driver.Send(new Recuse(ballot, MemberLi, "本单位推荐人选"));
        }

        driver.Refuse(new CastVote(ballot, member, "consent"), RefusalCode.Recused);
        driver.Refuse(new Recuse(ballot, member, "again"), RefusalCode.Recused);
    }

    [Fact]
    public void A_member_who_has_voted_cannot_recuse()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        driver.Send(new CastVote(ballot, MemberLi, "object"));

        driver.Refuse(new Recuse(ballot, MemberLi, "late"), RefusalCode.AlreadyVoted);
    }

    [Fact]
    public void A_recusal_that_makes_the_pass_certain_closes_the_ballot()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        var members = MembersExcept(DetaiMember);
        driver.Votes(ballot, "consent", members.Take(6));
        driver.Send(new Recuse(ballot, members[6], "回避"));
        Assert.True(driver.IsOpen(Consultation.Ballot)); // 6 of 12 is not more than half

        var effects = driver.Send(new Recuse(ballot, members[7], "回避"));

        Assert.Equal("passed", Assert.Single(effects.OfType<BallotClosed>()).Outcome); // 6 of 11 is
    }
}
