using System.Globalization;
using WorkflowHost.Faults.Tests.Support;
using WorkflowHost.Persistence;

namespace WorkflowHost.Faults.Tests.SharedDatabase;

/// <summary>
/// Two real host processes on one PostgreSQL database, both serving the API and both running Hangfire, the requests
/// spread over both, e-mail to one SMTP server (docs/reliability.md, section 2). Unlike
/// tests/WorkflowHost.Jobs.Tests/Scheduling/SharedDatabaseTests.cs (two in-process hosts, commands called directly),
/// this goes over HTTP to separate processes. <c>WORKFLOWHOST_TWOHOSTS_SECONDS</c> makes the load run longer.
/// </summary>
public sealed class TwoHostsTests
{
    [Fact]
    public async Task Two_hosts_on_one_PostgreSQL_database_keep_every_invariant_and_send_each_reminder_once()
    {
        await using var database = await FaultDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var smtp = new SmtpSink();
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("WORKFLOWHOST_TWOHOSTS_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 10;
        var output = TestContext.Current.TestOutputHelper;
        var result = await TwoHostsRun.RunAsync(database, smtp, TimeSpan.FromSeconds(seconds), Environment.TickCount & 0xFFFF,
            line => output?.WriteLine(line), TestContext.Current.CancellationToken);
        output?.WriteLine(result.ToString());
        Report.Append(result.ToString());

        Assert.True(result.Report.Violations.Count == 0, result.ToString());
        Assert.True(result.Mail.Violations.Count == 0, result.ToString());
        Assert.True(result.Ledger.Unexpected.Count == 0, result.ToString());

        // What the run claims to have exercised.
        Assert.True(result.Mail.Reminders > 0, "no reminder was sent: " + result);
        Assert.True(result.JobsByServer.Count == 2, "the jobs did not run on both hosts: " + result);
        Assert.Contains(result.Ledger.Acks, a => a.Kind == AckKind.Voted);
    }
}
