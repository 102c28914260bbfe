namespace WorkflowHost.Engine.Ballots;

/// <summary>The three ways a ballot can end.</summary>
public static class BallotOutcomes
{
    public const string Passed = "passed";
    public const string Rejected = "rejected";
    public const string NoQuorum = "no-quorum";

    public static readonly IReadOnlyList<string> All = [Passed, Rejected, NoQuorum];
}

/// <summary>
/// Applies a <see cref="BallotRule"/> to the totals so far. Pure arithmetic, kept apart from the activity
/// so the rule can be tested as a table.
/// </summary>
public static class BallotCount
{
    /// <summary>
    /// The outcome if it can no longer change whatever the remaining voters do, otherwise null.
    /// When <paramref name="deadlineReached"/> the ballot closes now, and never as <c>passed</c> unless the pass was
    /// already certain: time alone never consents, so a rule counted against participants needs every eligible vote.
    /// </summary>
    public static string? Decide(BallotRule rule, int eligible, int participants, int yes, bool deadlineReached)
    {
        // Nobody left to ask: with no eligible member there is no quorum, whatever the thresholds say.
        if (eligible <= 0)
        {
            return BallotOutcomes.NoQuorum;
        }

        var remaining = eligible - participants;
        var quorumMet = rule.Quorum.IsMetBy(participants, eligible);
        var passBase = rule.Pass.Of == PassBase.Eligible ? eligible : participants;
        var passesNow = quorumMet && rule.Pass.IsMetBy(yes, passBase);

        if (remaining <= 0)
        {
            return !quorumMet ? BallotOutcomes.NoQuorum : passesNow ? BallotOutcomes.Passed : BallotOutcomes.Rejected;
        }

        // Counted against eligible members, later votes only add yes votes and participants: a pass stays a pass.
        if (passesNow && rule.Pass.Of == PassBase.Eligible)
        {
            return BallotOutcomes.Passed;
        }

        if (deadlineReached)
        {
            return quorumMet ? BallotOutcomes.Rejected : BallotOutcomes.NoQuorum;
        }

        // Even if everyone left voted yes the threshold is out of reach, and the quorum is already there.
        if (rule.Pass.Of == PassBase.Eligible && quorumMet && !rule.Pass.IsMetBy(yes + remaining, eligible))
        {
            return BallotOutcomes.Rejected;
        }

        // Against participants, any later vote can tip the share either way: wait for everyone or the deadline.
        return null;
    }
}
