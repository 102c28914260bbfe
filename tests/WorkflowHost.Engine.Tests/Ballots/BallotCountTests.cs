using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Ballots;

/// <summary>The committee's rule as a table. Unless a row says otherwise: 14 members, 1 recused, so 13 eligible.</summary>
public sealed class BallotCountTests
{
    private const string Passed = BallotOutcomes.Passed;
    private const string Rejected = BallotOutcomes.Rejected;
    private const string NoQuorum = BallotOutcomes.NoQuorum;

    private static readonly BallotRule TwoThirdsQuorum = BallotRule.Default with { Quorum = new Threshold { AtLeast = new Fraction(2, 3) } };

    private static readonly BallotRule PassOfParticipants = BallotRule.Default with { Pass = new PassCondition { Of = PassBase.Participants } };

    [Fact]
    public void Fourteen_members_with_one_recused_leave_thirteen_eligible()
    {
        var ballot = new BallotState
        {
            Voters = [.. SeedCommunity.CommitteeMembers],
            Options = ["consent", "object", "abstain"],
            Recusals = [new RecusalRecord(SeedCommunity.DetaiMember, "member of the submitting unit", Automatic: true)],
        };

        Assert.Equal(14, ballot.Voters.Count);
        Assert.Equal(13, ballot.EligibleCount);
        Assert.DoesNotContain(SeedCommunity.DetaiMember, ballot.Eligible);
    }

    [Theory]
    // eligible, participants, yes, deadline reached, outcome (null: undecided, keep waiting)
    [InlineData(13, 7, 7, false, Passed)]      // 7 of 13 eligible consent: more than half, certain at once
    [InlineData(13, 13, 7, false, Passed)]
    [InlineData(13, 13, 6, false, Rejected)]   // 6 consent + 7 object
    [InlineData(13, 7, 0, false, Rejected)]    // 7 object: quorum there and 0 + 6 left can never exceed 6.5
    [InlineData(13, 6, 6, false, null)]        // 6 participants: no quorum yet, the next vote may pass it
    [InlineData(13, 6, 6, true, NoQuorum)]     // ... still 6 at the deadline: no quorum
    [InlineData(13, 12, 6, false, null)]       // 6 consent + 6 abstain: the last member decides
    [InlineData(13, 12, 6, true, Rejected)]    // ... who never votes: 6 is not more than half of 13
    [InlineData(13, 0, 0, true, NoQuorum)]
    [InlineData(0, 0, 0, false, NoQuorum)]     // everyone recused: nothing to wait for
    [InlineData(14, 7, 7, false, null)]        // nobody recused: 7 of 14 is exactly half, not more
    [InlineData(14, 14, 7, false, Rejected)]
    public void Default_rule_counts_consent_against_eligible_members(int eligible, int participants, int yes, bool deadline, string? expected) =>
        Assert.Equal(expected, BallotCount.Decide(BallotRule.Default, eligible, participants, yes, deadline));

    [Theory]
    // 6 consent alone have no quorum; one abstention more brings the quorum but no pass.
    [InlineData(6, NoQuorum)]
    [InlineData(7, Rejected)]
    public void An_abstention_counts_for_the_quorum_but_not_for_passing(int participants, string expected) =>
        Assert.Equal(expected, BallotCount.Decide(BallotRule.Default, eligible: 13, participants, yes: 6, deadlineReached: true));

    [Fact]
    public void All_abstaining_members_make_a_quorum_that_rejects() =>
        Assert.Equal(Rejected, BallotCount.Decide(BallotRule.Default, eligible: 13, participants: 13, yes: 0, deadlineReached: false));

    [Fact]
    public void The_deadline_never_turns_an_open_default_ballot_into_a_pass()
    {
        for (var eligible = 0; eligible <= 14; eligible++)
        {
            for (var participants = 0; participants <= eligible; participants++)
            {
                for (var yes = 0; yes <= participants; yes++)
                {
                    if (BallotCount.Decide(BallotRule.Default, eligible, participants, yes, deadlineReached: false) is null)
                    {
                        var atDeadline = BallotCount.Decide(BallotRule.Default, eligible, participants, yes, deadlineReached: true);
                        Assert.True(atDeadline is Rejected or NoQuorum, $"{eligible}/{participants}/{yes} at the deadline gave {atDeadline ?? "null"}");
                    }
                }
            }
        }
    }

    [Theory]
    // 2/3 of 13 is 8.67: 9 participants are needed.
    [InlineData(8, 7, false, null)]         // 7 consent would pass the default rule; here the quorum is still missing
    [InlineData(8, 7, true, NoQuorum)]
    [InlineData(9, 7, false, Passed)]
    [InlineData(9, 2, false, Rejected)]     // quorum there, 2 + 4 left can never exceed 6.5
    [InlineData(9, 6, true, Rejected)]
    public void At_least_two_thirds_quorum(int participants, int yes, bool deadline, string? expected) =>
        Assert.Equal(expected, BallotCount.Decide(TwoThirdsQuorum, eligible: 13, participants, yes, deadline));

    [Theory]
    [InlineData(7, 7, false, null)]         // 7 of 7 so far, but any later vote changes the share: wait
    [InlineData(13, 7, false, Passed)]      // everyone voted: 7 of 13 participants
    [InlineData(13, 6, false, Rejected)]
    [InlineData(10, 9, true, Rejected)]     // at the deadline a share of participants is not enough: time never consents
    [InlineData(6, 6, true, NoQuorum)]
    public void Pass_counted_against_participants(int participants, int yes, bool deadline, string? expected) =>
        Assert.Equal(expected, BallotCount.Decide(PassOfParticipants, eligible: 13, participants, yes, deadline));

    [Theory]
    [InlineData(12, 8, Passed)]             // 8 of 12 participants is exactly 2/3
    [InlineData(12, 7, Rejected)]
    public void At_least_two_thirds_of_participants(int participants, int yes, string expected)
    {
        var rule = BallotRule.Default with { Pass = new PassCondition { MoreThan = null, AtLeast = new Fraction(2, 3), Of = PassBase.Participants } };

        Assert.Equal(expected, BallotCount.Decide(rule, eligible: 12, participants, yes, deadlineReached: false));
    }
}
