using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Tests.Scheduling;

/// <summary>
/// Reminders and escalations end to end, in real time: a real Hangfire server, a real SMTP server, a real database.
/// The short-deadline ballot is due 6 s after it opens, reminds 3 s before, alerts the secretary at the deadline and
/// the street committee 3 s after it.
/// </summary>
public abstract class ReminderDeliveryScenarios
{
    /// <summary>The five members who vote at once (of the 13 eligible once the submitting unit's member is recused).</summary>
    public static readonly IReadOnlyList<string> EarlyVoters = ["p-member-chen", "p-member-feng", "p-member-he", "p-member-li", "p-member-lin"];

    private static readonly string[] NotVoted = ["sun.li", "wu.jing", "xu.ming", "zhang.min", "zhao.gang", "zheng.wei", "zhou.qiang", "wang.jianguo"];

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    /// <summary>Who should hear what: eight reminders to those who did not vote, the secretary's and the street committee's alerts.</summary>
    public static IReadOnlyList<(string To, string Kind)> Expected() =>
    [
        .. NotVoted.Select(name => ($"{name}@example.org", "reminder")),
        ("wang.jianguo@example.org", "escalation"),
        ("qian.guodong@example.org", "escalation"),
    ];

    public static string KindOf(string subject) =>
        subject.StartsWith("【提醒】", StringComparison.Ordinal) || subject.StartsWith("Reminder:", StringComparison.Ordinal) ? "reminder"
        : subject.StartsWith("【逾期】", StringComparison.Ordinal) || subject.StartsWith("Overdue:", StringComparison.Ordinal) ? "escalation"
        : subject;

    [Fact]
    public async Task A_short_deadline_ballot_sends_exactly_the_expected_emails_once_each()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();
        await using var host = await JobsTestHost.StartAsync(database, smtp);
        var id = await host.StartBallotAsync();
        var ballot = await host.BallotOfAsync(id);
        foreach (var voter in EarlyVoters)
        {
            await host.VoteAsync(id, ballot, voter, "consent");
        }

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= 10), TimeSpan.FromSeconds(40)), $"only {smtp.Messages.Count} e-mails arrived");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // nothing more may come

        var received = smtp.Received.Select(m => (m.To, KindOf(m.Subject))).Order().ToList();
        Assert.Equal(Expected().Order(), received);
        Assert.Contains(smtp.Received, m => m.To == "zheng.wei@example.org" && m.Subject.StartsWith("Reminder: \"Committee vote\"", StringComparison.Ordinal) && m.Body.StartsWith("Dear Zheng Wei,", StringComparison.Ordinal));
        Assert.Contains(smtp.Received, m => m.To == "sun.li@example.org" && m.Subject.StartsWith("【提醒】「委员表决」", StringComparison.Ordinal));
        Assert.Contains(smtp.Received, m => m.To == "qian.guodong@example.org" && m.Body.Contains("仍有8人未表决", StringComparison.Ordinal));
        Assert.DoesNotContain(smtp.Received, m => EarlyVoters.Any(v => m.To.StartsWith(v["p-member-".Length..], StringComparison.Ordinal)));

        await using var db = await host.OpenDbAsync();
        Assert.Equal(10, await db.NotificationDeliveries.CountAsync(d => d.Status == DeliveryStatus.Sent));
        Assert.Equal(4, await db.Timers.CountAsync(t => t.InstanceId == id && t.Status == TimerStatus.Fired));
        Assert.All(await db.Timers.Where(t => t.InstanceId == id).ToListAsync(), t => Assert.NotNull(t.JobId));
    }

    [Fact]
    public async Task Voting_closes_the_ballot_and_its_pending_jobs_so_nothing_is_sent()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();
        await using var host = await JobsTestHost.StartAsync(database, smtp);
        var id = await host.StartBallotAsync();
        var ballot = await host.BallotOfAsync(id);
        foreach (var voter in (await host.EligibleAsync(id, ballot)).Take(7))
        {
            await host.VoteAsync(id, ballot, voter, "consent");
        }

        await Task.Delay(TimeSpan.FromSeconds(11), TestContext.Current.CancellationToken);

        Assert.Empty(smtp.Messages);
        await using var db = await host.OpenDbAsync();
        Assert.All(await db.Timers.Where(t => t.InstanceId == id).ToListAsync(), t => Assert.Equal(TimerStatus.Cancelled, t.Status));
        var monitor = host.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        Assert.Equal(0, monitor.ScheduledCount());
    }

    [Fact]
    public async Task A_timer_that_falls_due_while_the_host_is_down_fires_once_after_the_restart()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();
        Guid id;
        DateTimeOffset dueAt;
        await using (var before = await JobsTestHost.StartAsync(database, smtp, name: "before"))
        {
            id = await before.StartBallotAsync("test-restart-ballot");
            var ballot = await before.BallotOfAsync(id);
            foreach (var voter in EarlyVoters)
            {
                await before.VoteAsync(id, ballot, voter, "consent");
            }

            dueAt = (await before.Queries.GetAsync(id))!.State.FindBookmark(ballot)!.DueAt!.Value;
            await before.StopAsync();
            await using var db = await before.OpenDbAsync();
            Assert.All(await db.Timers.Where(t => t.InstanceId == id).ToListAsync(), t => Assert.Equal(TimerStatus.Pending, t.Status));
        }

        // Down while the reminder (6 s before), the deadline and the first escalation, then the second (3 s after) fall due.
        await Task.Delay(dueAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);
        Assert.Empty(smtp.Messages);

        await using var after = await JobsTestHost.StartAsync(database, smtp, name: "after");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= 10), TimeSpan.FromSeconds(30)), $"only {smtp.Messages.Count} e-mails arrived");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);

        Assert.Equal(Expected().Order(), smtp.Received.Select(m => (m.To, KindOf(m.Subject))).Order());
        var journal = await after.Queries.JournalAsync(id);
        Assert.Single(journal, e => e.Type == "ReminderSent");
        Assert.Equal(2, journal.Count(e => e.Type == "Escalated"));
        Assert.True((await after.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task Jobs_lost_with_the_scheduler_storage_are_fired_by_the_start_up_sweep()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();
        Guid id;
        DateTimeOffset dueAt;
        await using (var before = await JobsTestHost.StartAsync(database, smtp, name: "before"))
        {
            id = await before.StartBallotAsync("test-restart-ballot");
            var ballot = await before.BallotOfAsync(id);
            foreach (var voter in EarlyVoters)
            {
                await before.VoteAsync(id, ballot, voter, "consent");
            }

            dueAt = (await before.Queries.GetAsync(id))!.State.FindBookmark(ballot)!.DueAt!.Value;
        }

        await Task.Delay(dueAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);

        // The restarted host has an empty scheduler storage: every delayed job is gone, only our timer rows remain.
        var empty = JobsTestHost.FastScheduling("after");
        empty.SqliteFileName = "hangfire-empty.db";
        empty.PostgreSqlSchema = "hangfire_empty";
        await using var after = await JobsTestHost.StartAsync(database, smtp, empty);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= 10), TimeSpan.FromSeconds(30)), $"only {smtp.Messages.Count} e-mails arrived");
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        Assert.Equal(Expected().Order(), smtp.Received.Select(m => (m.To, KindOf(m.Subject))).Order());
        await using var db = await after.OpenDbAsync();
        Assert.Equal(4, await db.Timers.CountAsync(t => t.InstanceId == id && t.Status == TimerStatus.Fired));
    }
}

public sealed class SqliteReminderDeliveryTests : ReminderDeliveryScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlReminderDeliveryTests : ReminderDeliveryScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync(migrated: true);
}
