using WorkflowHost.Engine.Ballots;

namespace WorkflowHost.Engine.Tests.Ballots;

public sealed class BallotCountTests
{
    [Theory]
    [InlineData(13, 7, 7, false, BallotOutcomes.Passed)]
    [InlineData(13, 13, 6, false, BallotOutcomes.Rejected)]
    [InlineData(13, 6, 6, false, null)]
    public void Default_rule_decides_against_eligible_members(int eligible, int participants, int yes, bool deadline, string? expected) =>
        Assert.Equal(expected, BallotCount.Decide(BallotRule.Default, eligible, participants, yes, deadline));
}
