using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>Votes cast at a physical meeting, entered by the secretary with the attendance list and an attestation.</summary>
public sealed class MeetingVotesTests
{
    private const string Attestation = "2026年3月3日党委会，现场举手表决";

    private static readonly IReadOnlyList<string> Eligible = MembersExcept(DetaiMember);

    private static RecordMeetingVotes Meeting(string ballot, IEnumerable<string> present, IEnumerable<(string Voter, string Choice)> votes, string by = Secretary, string attestation = Attestation) =>
        new(ballot, by, [.. present], [.. votes.Select(v => new MeetingVote(v.Voter, v.Choice))], attestation);

    [Fact]
    public void Attested_meeting_votes_count_like_online_votes_and_close_the_ballot()
    {
        var driver = BallotFlow.Opened();
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        driver.Send(new CastVote(ballot, Eligible[0], "consent"));

        var effects = driver.Send(Meeting(ballot, Eligible.Skip(1).Take(8), Eligible.Skip(1).Take(6).Select(m => (m, "consent"))));

        Assert.Equal(6, effects.OfType<VoteRecorded>().Count(v => v.EnteredBy == Secretary));
        Assert.Equal("passed", Assert.Single(effects.OfType<BallotClosed>()).Outcome); // 1 online + 6 at the meeting = 7 of 13
        var record = driver.State.Variables[BallotFlow.Vote]!;
        Assert.Equal(Eligible.Skip(1).Take(8).Order(StringComparer.Ordinal), record["attendance"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal((Secretary, Attestation), (record["meetingRecordedBy"]!.GetValue<string>(), record["attestation"]!.GetValue<string>()));
        var journal = Assert.Single(driver.Journal("MeetingVotesRecorded"));
        Assert.Equal(8, journal["present"]!.AsArray().Count);
    }

    [Fact]
    public void Only_the_secretary_records_a_meeting() =>
        BallotFlow.Opened().Refuse(Meeting("vote#1", Eligible.Take(1), [(Eligible[0], "consent")], by: MemberLi), RefusalCode.NotAllowed);

    [Fact]
    public void A_vote_for_someone_absent_refuses_the_whole_record()
    {
        var driver = BallotFlow.Opened();
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;

        var refusal = driver.Refuse(
            Meeting(ballot, Eligible.Take(2), [(Eligible[0], "consent"), (Eligible[5], "consent")]),
            RefusalCode.InvalidInput);

        Assert.Equal(["votes[1]"], refusal.FieldErrors!.Keys);
        Assert.Empty(driver.OpenBookmark(BallotFlow.Vote).Ballot!.Participants);
    }

    [Fact]
    public void Every_problem_of_the_record_is_reported_at_once()
    {
        var driver = BallotFlow.Opened();
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        driver.Send(new CastVote(ballot, Eligible[0], "consent"));

        var refusal = driver.Refuse(
            Meeting(ballot, [Eligible[0], Eligible[1], DetaiMember, "p-nobody"], [(Eligible[0], "consent"), (Eligible[1], "maybe"), (DetaiMember, "consent")], attestation: " "),
            RefusalCode.InvalidInput);

        Assert.Equal(["attestation", "present", "votes[0]", "votes[1]", "votes[2]"], refusal.FieldErrors!.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("already voted", refusal.FieldErrors["votes[0]"][0], StringComparison.Ordinal);
        Assert.Contains("recused", refusal.FieldErrors["votes[2]"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Attendance_without_votes_is_recorded_and_the_ballot_stays_open()
    {
        var driver = BallotFlow.Opened();
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;

        driver.Send(Meeting(ballot, Eligible.Take(3), []));

        Assert.Equal(Eligible.Take(3).Order(StringComparer.Ordinal), driver.OpenBookmark(BallotFlow.Vote).Ballot!.Attendance);
        Assert.Empty(driver.LastEffects.OfType<VoteRecorded>());
    }

    [Fact]
    public void On_a_secret_ballot_meeting_votes_are_entered_in_voter_order_without_choices()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        var present = Eligible.Take(3).Reverse().ToList();

        var effects = driver.Send(Meeting(ballot, present, present.Select((m, i) => (m, i == 0 ? "object" : "consent"))));

        var votes = effects.OfType<VoteRecorded>().ToList();
        Assert.Equal(present.Order(StringComparer.Ordinal), votes.Select(v => v.VoterId));
        Assert.All(votes, v => Assert.Null(v.Choice));
        Assert.All(driver.Journal("VoteCast"), j => Assert.Null(j["choice"]));
    }
}
