using WorkflowHost.Faults.Tests.Support;
using WorkflowHost.Persistence;

namespace WorkflowHost.Faults.Tests.Crash;

/// <summary>
/// The real host under load, SIGKILLed at random moments and restarted, then the database read directly and checked
/// against what the clients were told (docs/reliability.md, section 1). Three kills per database here; set
/// <c>WORKFLOWHOST_CRASH_KILLS</c> for a long run.
/// </summary>
public sealed class SigkillTests
{
    [Fact]
    public Task Sqlite_survives_sigkill_under_load() => RunAsync(DatabaseProvider.Sqlite);

    [Fact]
    public Task PostgreSql_survives_sigkill_under_load() => RunAsync(DatabaseProvider.PostgreSql);

    private static async Task RunAsync(DatabaseProvider provider)
    {
        await using var database = await FaultDatabase.CreateAsync(provider);
        var options = CrashOptions.FromEnvironment(kills: 3);
        var output = TestContext.Current.TestOutputHelper;
        var result = await CrashRun.RunAsync(database, options, line => output?.WriteLine(line), TestContext.Current.CancellationToken);
        output?.WriteLine(result.ToString());
        Report.Append(result.ToString());

        Assert.True(result.Report.Violations.Count == 0, result.ToString());
        Assert.True(result.Ledger.Unexpected.Count == 0, "unexpected answers:\n" + string.Join('\n', result.Ledger.Unexpected.Take(20)));

        // The run must have exercised what it claims to check.
        Assert.Equal(options.Kills + 1, result.Startups.Count);
        Assert.Contains(result.Ledger.Acks, a => a.Kind == AckKind.Voted);
        Assert.True(result.Report.Numbers > 0, "no number was issued");
        Assert.True(result.Report.TimersDueWhileDown > 0, "no timer fell due while the host was down");
    }
}
