using System.Diagnostics;
using System.Net;

namespace WorkflowHost.Bench.Load;

internal sealed record VoteAttempt(PreparedBallot Ballot, PlannedVote Vote, HttpStatusCode Status, string? Problem, double LatencyMs)
{
    public bool Acknowledged => Status == HttpStatusCode.OK;

    /// <summary>
    /// Refused because the open ballot had already been decided (and the instance ended) when it arrived: possible when
    /// a later vote overtakes an earlier one. A secret ballot waits for every member, so there it never happens.
    /// </summary>
    public bool LateForOpenBallot =>
        Ballot.Variant == BallotVariant.Open && Status == HttpStatusCode.Conflict && Problem is "closed" or "instanceEnded";
}

/// <summary>The host's CPU time so far, and the part of it its tiered compiler thread used.</summary>
internal readonly record struct CpuReading(TimeSpan Total, TimeSpan Jit)
{
    public static CpuReading operator -(CpuReading after, CpuReading before) => new(after.Total - before.Total, after.Jit - before.Jit);
}

internal sealed record RoundResult(BallotVariant Variant, int Clients, TimeSpan Elapsed, IReadOnlyList<VoteAttempt> Attempts, CpuReading Cpu)
{
    /// <summary>What the host allocated over the round, when the run measured it (<c>--allocations</c>).</summary>
    public AllocationFigures? Allocations { get; init; }

    /// <summary>What the machine spent over the round: every core's busy time, the database server's, this driver's.</summary>
    public MachineCpuReading Machine { get; init; }

    /// <summary>The machine's busy time per acknowledged vote, whoever spent it (host, database, driver, kernel).</summary>
    public double MachineCpuMsPerVote => Machine.Busy.TotalMilliseconds / Math.Max(1, Acknowledged);

    public double DatabaseCpuMsPerVote => Machine.Database.TotalMilliseconds / Math.Max(1, Acknowledged);

    public double DriverCpuMsPerVote => Machine.Driver.TotalMilliseconds / Math.Max(1, Acknowledged);

    public double? HostBytesPerVote => Allocations is { } a ? (double)a.TotalBytes / Math.Max(1, Acknowledged) : null;

    public int Acknowledged => Attempts.Count(a => a.Acknowledged);

    public double VotesPerSecond => Acknowledged / Elapsed.TotalSeconds;

    /// <summary>The host's CPU time per acknowledged vote: steadier than votes/s on a shared machine.</summary>
    public double HostCpuMsPerVote => Cpu.Total.TotalMilliseconds / Math.Max(1, Acknowledged);

    /// <summary>
    /// The share of the host's CPU its tiered compiler used during the round: near zero once the host is warm. A round
    /// with a large share measured the warm-up (compiling hot methods again, optimised), not the steady state.
    /// </summary>
    public double JitShare => Cpu.Total > TimeSpan.Zero ? Cpu.Jit / Cpu.Total : 0;
}

/// <summary>
/// Casts every planned vote of the prepared ballots with <c>clients</c> concurrent voters. Votes are queued member by
/// member across all ballots (the first member on every ballot, then the second…), so concurrent requests mostly hit
/// different instances, as members voting on many open items would; each ballot's own votes arrive about in plan order.
/// </summary>
internal static class VoteRound
{
    public static async Task<RoundResult> RunAsync(HostApi api, Consultations consultations, IReadOnlyList<PreparedBallot> ballots, int clients, bool idempotencyKeys, string runId, Func<CpuReading> hostCpu)
    {
        var queue = ballots
            .SelectMany(b => b.Votes.Select((vote, position) => (Ballot: b, Vote: vote, Position: position)))
            .OrderBy(v => v.Position)
            .ToList();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var voter in queue.Select(v => v.Vote.VoterId).Distinct(StringComparer.Ordinal))
        {
            tokens[voter] = await consultations.TokenAsync(voter);
        }

        var attempts = new VoteAttempt[queue.Count];
        var next = -1;
        var cpuBefore = hostCpu();
        var machineBefore = MachineCpu.Read();
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < queue.Count; i = Interlocked.Increment(ref next))
            {
                var (ballot, vote, _) = queue[i];
                var key = idempotencyKeys ? $"load-{runId}-vote-{ballot.InstanceId:N}-{vote.VoterId}" : null;
                var started = Stopwatch.GetTimestamp();
                HttpStatusCode status;
                string? problem;
                try
                {
                    (status, problem) = await api.VoteAsync(tokens[vote.VoterId], ballot.InstanceId, ballot.StepId, vote.Choice, key);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    (status, problem) = (0, e.Message);
                }

                attempts[i] = new VoteAttempt(ballot, vote, status, problem, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToList();
        await Task.WhenAll(workers);
        watch.Stop();
        return new RoundResult(ballots[0].Variant, clients, watch.Elapsed, attempts, hostCpu() - cpuBefore)
        {
            Machine = MachineCpu.Read() - machineBefore,
        };
    }
}
