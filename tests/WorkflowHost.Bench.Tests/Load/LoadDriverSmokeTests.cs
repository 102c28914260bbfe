using WorkflowHost.Bench.Load;

namespace WorkflowHost.Bench.Tests.Load;

/// <summary>
/// The load driver's reduced mode against the real host on SQLite, in the Production environment (accounts given their
/// passwords through the host's own set-password command): a few seconds of concurrent votes, then every result read back. It checks that the driver works and the host counts every vote; it measures nothing. Allocations
/// are sampled too, to prove the EventPipe sampler attaches and reads ticks; their figure is not bounded here.
/// </summary>
public class LoadDriverSmokeTests
{
    [Fact]
    public async Task Every_acknowledged_vote_is_counted_and_every_ballot_has_one_outcome_and_its_own_reply_number()
    {
        var options = LoadOptions.SmokeDefaults(BuiltPrograms.HostDll) with { MeasureAllocations = true };
        var output = new StringWriter();

        var report = Assert.Single(await LoadRun.RunAsync(options, output));

        var log = output.ToString();
        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Problems.Take(20)) + Environment.NewLine + log);
        Assert.Equal(Target.Sqlite, report.Target);
        var expectedBallots = options.Variants.Count * (options.WarmUpBallots + (options.Rounds * options.BallotsPerRound));
        Assert.Equal(expectedBallots, report.Ballots);
        Assert.True(report.AcknowledgedVotes >= expectedBallots * 7, log);
        Assert.Equal(report.AcknowledgedVotes, report.CountedVotes);
        Assert.Equal(report.Ballots, report.ReplyNumbers);
        Assert.Equal(report.ReplyNumbers, report.DistinctReplyNumbers);
        Assert.All(report.Variants, v => Assert.True(v.Acknowledged > 0, $"{v.Variant}: no vote acknowledged"));
        Assert.Contains("all correct", log, StringComparison.Ordinal);
        Assert.Equal(HostEnvironment.Production, options.Environment);
        Assert.Contains("Production: passwords set for 16 accounts with `set-password`", log, StringComparison.Ordinal);
        Assert.Contains("host environment Production: demo password refused", log, StringComparison.Ordinal);

        // A vote cannot cost the host less than a kilobyte (the request alone is more); a sampler that read nothing says 0.
        Assert.All(report.Variants, v => Assert.True(v.HostBytesPerVote > 1024, $"{v.Variant}: host allocated {v.HostBytesPerVote} bytes per vote\n{log}"));
    }
}
