using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Tests.Scheduling;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Processing;

namespace WorkflowHost.Jobs.Tests.Notifications;

/// <summary>An SMTP server that cannot be reached: each e-mail is retried with back-off, then listed as failed for administrators.</summary>
public sealed class DeliveryFailureTests
{
    [Fact]
    public async Task Unreachable_smtp_is_retried_with_back_off_then_reported_failed()
    {
        await using var database = new SqliteTestDatabase();
        await using var host = await JobsTestHost.StartAsync(database, SmtpSink.FreePort()); // nothing listens there
        var id = await host.StartBallotAsync();
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
}
