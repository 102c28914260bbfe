namespace WorkflowHost.Bench.Load;

/// <summary>
/// Votes per second of one ballot variant over the rounds, with the latencies of every acknowledged vote, and the
/// host's bytes allocated per vote (median of the rounds) when the run measured allocations.
/// </summary>
public sealed record VariantFigures(
    BallotVariant Variant, IReadOnlyList<double> VotesPerSecond, double MedianVotesPerSecond, double LatencyP50Ms, double LatencyP95Ms,
    double HostCpuMsPerVote, int Acknowledged, int LateVotes, double? HostBytesPerVote = null)
{
    /// <summary>PostgreSQL's server processes' CPU per vote (zero on SQLite, whose work is the host's).</summary>
    public double DatabaseCpuMsPerVote { get; init; }

    /// <summary>This driver's CPU per vote: the HTTP clients that cast the votes.</summary>
    public double DriverCpuMsPerVote { get; init; }

    /// <summary>The whole machine's busy time per vote, whoever spent it.</summary>
    public double MachineCpuMsPerVote { get; init; }
}

/// <summary>One database's results: the host's figures per variant, the raw rate, and the correctness check.</summary>
public sealed record TargetReport(
    Target Target,
    int Clients,
    IReadOnlyList<VariantFigures> Variants,
    IReadOnlyList<double> RawTransactionsPerSecond,
    double? MedianRawTransactionsPerSecond,
    double? MedianRawCpuMsPerTransaction,
    int Ballots,
    int AcknowledgedVotes,
    int CountedVotes,
    int ReplyNumbers,
    int DistinctReplyNumbers,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;

    public double? MedianRawDatabaseCpuMsPerTransaction { get; init; }

    public double? MedianRawMachineCpuMsPerTransaction { get; init; }
}
