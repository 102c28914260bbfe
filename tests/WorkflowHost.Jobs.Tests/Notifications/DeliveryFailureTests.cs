using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Tests.Scheduling;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Tests.Notifications;

/// <summary>
/// An SMTP server that cannot be reached: each e-mail is retried with back-off, then listed as failed for administrators;
/// a server that comes back before the last attempt receives every e-mail, once.
/// </summary>
public sealed class DeliveryFailureTests
{
    [Fact]
    public async Task Unreachable_smtp_is_retried_with_back_off_then_reported_failed()
    {
        await using var database = new SqliteTestDatabase();
        await using var host = await JobsTestHost.StartAsync(database, SmtpSink.FreePort()); // nothing listens there
        // Reminds after 6 s, not 3: on a loaded machine the early voters must vote before it, or they are reminded too.
        var id = await host.StartBallotAsync("test-restart-ballot");
        var ballot = await host.BallotOfAsync(id);
        foreach (var voter in ReminderDeliveryScenarios.EarlyVoters)
        {
            await host.VoteAsync(id, ballot, voter, "consent");
        }

        var outbox = host.Services.GetRequiredService<NotificationOutbox>();
        Assert.True(await Eventually.HoldsAsync(async () => (await outbox.FailedAsync()).Count >= 10, TimeSpan.FromSeconds(60)), "deliveries did not give up");

        var failed = await outbox.FailedAsync();
        Assert.Equal(10, failed.Count);
        Assert.All(failed, f => Assert.Equal(3, f.Attempts));
        Assert.All(failed, f => Assert.Contains("Socket", f.LastError, StringComparison.OrdinalIgnoreCase));

        // In-app, the notifications are there all the same, unread.
        await using var db = await host.OpenDbAsync();
        Assert.Equal(10, await db.Notifications.CountAsync(n => n.InstanceId == id && n.ReadAt == null));
        var zheng = Assert.Single(await outbox.InboxAsync("p-member-zheng", unreadOnly: true));
        Assert.True(await outbox.MarkReadAsync(zheng.Id, "p-member-zheng"));
        Assert.Empty(await outbox.InboxAsync("p-member-zheng", unreadOnly: true));
    }

    [Fact]
    public async Task Reminders_are_retried_while_smtp_is_down_and_delivered_once_when_it_returns()
    {
        await using var database = new SqliteTestDatabase();
        await using var smtp = new SmtpSink();
        await smtp.StopAsync(); // down from the start: every reminder and alert of the ballot meets a refused connection
        // Up to 20 attempts, 1 s then 2 s apart: the outage below (about 10 s) ends well before anything gives up.
        await using var host = await JobsTestHost.StartAsync(database, smtp.Port, smtpMaxAttempts: 20);
        var id = await host.StartBallotAsync("test-restart-ballot"); // reminds after 6 s: time for the early voters on a loaded machine
        var ballot = await host.BallotOfAsync(id);
        foreach (var voter in ReminderDeliveryScenarios.EarlyVoters)
        {
            await host.VoteAsync(id, ballot, voter, "consent");
        }

        // All ten e-mails (eight reminders, two alerts) have failed at least once, and none was given up.
        Assert.True(await Eventually.HoldsAsync(async () => await AttemptedAsync(host, id) >= 10, TimeSpan.FromSeconds(40)), "not every e-mail was attempted");
        var outbox = host.Services.GetRequiredService<NotificationOutbox>();
        Assert.Empty(await outbox.FailedAsync());
        Assert.Empty(smtp.Messages);

        smtp.Start();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= 10), TimeSpan.FromSeconds(30)), $"only {smtp.Messages.Count} e-mails arrived");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // retries still scheduled must not send again

        Assert.Equal(ReminderDeliveryScenarios.Expected().Order(), smtp.Received.Select(m => (m.To, ReminderDeliveryScenarios.KindOf(m.Subject))).Order());
        Assert.Equal(10, smtp.Messages.Select(m => m.MessageId).Distinct().Count());
        await using var db = await host.OpenDbAsync();
        var deliveries = await db.NotificationDeliveries.Where(d => db.Notifications.Any(n => n.Id == d.NotificationId && n.InstanceId == id))
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(10, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.All(deliveries, d => Assert.InRange(d.Attempts, 2, 20));
        Assert.Empty(await outbox.FailedAsync());
    }

    private static async Task<int> AttemptedAsync(JobsTestHost host, Guid instanceId)
    {
        await using var db = await host.OpenDbAsync();
        return await db.NotificationDeliveries.CountAsync(d => db.Notifications.Any(n => n.Id == d.NotificationId && n.InstanceId == instanceId)
                                                             && d.Attempts >= 1 && d.Status == DeliveryStatus.Pending);
    }
}
