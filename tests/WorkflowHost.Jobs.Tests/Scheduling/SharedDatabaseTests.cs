using Microsoft.EntityFrameworkCore;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Tests.Scheduling;

/// <summary>Two host processes on one PostgreSQL database, each with its own Hangfire server, both sweeping.</summary>
public sealed class SharedDatabaseTests
{
    [Fact]
    public async Task Two_hosts_sharing_one_PostgreSQL_database_send_each_reminder_once()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync(migrated: true);
        await using var smtp = new SmtpSink();
        await using var first = await JobsTestHost.StartAsync(database, smtp, name: "host-a");
        await using var second = await JobsTestHost.StartAsync(database, smtp, name: "host-b");

        // Three ballots, opened through either host; every timer's job may run on either server, and both sweep.
        var instances = new List<Guid>();
        foreach (var host in new[] { first, second, first })
        {
            var id = await host.StartBallotAsync();
            var ballot = await host.BallotOfAsync(id);
            foreach (var voter in ReminderDeliveryScenarios.EarlyVoters)
            {
                await host.VoteAsync(id, ballot, voter, "consent");
            }

            instances.Add(id);
        }

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= 30), TimeSpan.FromSeconds(45)), $"only {smtp.Messages.Count} e-mails arrived");
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);

        Assert.Equal(30, smtp.Messages.Count);
        Assert.Equal(30, smtp.Messages.Select(m => m.MessageId).Distinct().Count());
        await using var db = await first.OpenDbAsync();
        Assert.Equal(30, await db.NotificationDeliveries.CountAsync(d => d.Status == DeliveryStatus.Sent));
        foreach (var id in instances)
        {
            var journal = await first.Queries.JournalAsync(id);
            Assert.Single(journal, e => e.Type == "ReminderSent");
            Assert.Equal(2, journal.Count(e => e.Type == "Escalated"));
            Assert.True((await first.Queries.VerifyJournalAsync(id)).Intact);
        }
    }
}
