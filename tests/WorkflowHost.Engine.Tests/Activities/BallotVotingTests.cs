using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

public sealed class BallotVotingTests
{
    [Fact]
    public void An_open_vote_is_recorded_with_the_voter()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();

        var effects = driver.Send(new CastVote(ballot, MemberLi, "object", "材料不充分"));

        Assert.Equal(new VoteRecorded(ballot, MemberLi, "object", "材料不充分", Secret: false, EnteredBy: null), Assert.Single(effects.OfType<VoteRecorded>()));
        var state = driver.OpenBookmark(Consultation.Ballot).Ballot!;
        Assert.Equal("object", state.OpenVotes[MemberLi].Choice);
        Assert.Equal(1, state.TotalFor("object"));
        Assert.Equal([MemberLi], state.Participants);
    }

    [Fact]
    public void The_same_member_voting_twice_is_refused()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        driver.Send(new CastVote(ballot, MemberLi, "consent"));

        driver.Refuse(new CastVote(ballot, MemberLi, "object"), RefusalCode.AlreadyVoted);
    }

    [Theory]
    [InlineData(OfficeXie)]
    [InlineData(DetaiLiaison)]
    [InlineData("p-nobody")]
    public void Someone_who_is_not_a_voter_is_refused(string person)
    {
        var driver = Consultation.AtBallot();

        driver.Refuse(new CastVote(driver.BallotBookmarkId(), person, "consent"), RefusalCode.NotAllowed);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("Consent")]
    [InlineData("")]
    public void An_option_the_ballot_does_not_offer_is_refused(string choice)
    {
        var driver = Consultation.AtBallot();

        driver.Refuse(new CastVote(driver.BallotBookmarkId(), MemberLi, choice), RefusalCode.UnknownOption);
    }

    [Fact]
    public void A_vote_on_a_ballot_that_does_not_exist_is_refused()
    {
        var driver = Consultation.AtBallot();

        driver.Refuse(new CastVote("committee-ballot#99", MemberLi, "consent"), RefusalCode.NotFound);
        driver.Refuse(new CastVote("office-check#1", MemberLi, "consent"), RefusalCode.Closed);
    }

    [Fact]
    public void A_vote_naming_a_task_is_refused()
    {
        var driver = Consultation.Submitted();

        driver.Refuse(new CastVote(driver.OpenBookmark(Consultation.OfficeCheck).Id, MemberLi, "consent"), RefusalCode.NotFound);
    }

    [Fact]
    public void An_offline_vote_entered_by_the_secretary_counts()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();

        var effects = driver.Send(new CastVote(ballot, MemberLi, "consent", "会议表决", EnteredBy: Secretary));

        Assert.Equal(Secretary, Assert.Single(effects.OfType<VoteRecorded>()).EnteredBy);
        var state = driver.OpenBookmark(Consultation.Ballot).Ballot!;
        Assert.Equal(1, state.TotalFor("consent"));
        Assert.Equal(Secretary, state.OpenVotes[MemberLi].EnteredBy);
        Assert.Equal(Secretary, Assert.Single(driver.Journal("VoteCast"))["enteredBy"]!.GetValue<string>());
        driver.Refuse(new CastVote(ballot, MemberLi, "object"), RefusalCode.AlreadyVoted);
    }

    [Theory]
    [InlineData(OfficeXie)]
    [InlineData(MemberLi)]
    [InlineData(Admin)]
    public void An_offline_vote_entered_by_anyone_but_the_secretary_is_refused(string enteredBy)
    {
        var driver = Consultation.AtBallot();

        driver.Refuse(new CastVote(driver.BallotBookmarkId(), "p-member-zhang", "consent", EnteredBy: enteredBy), RefusalCode.NotAllowed);
    }
}
