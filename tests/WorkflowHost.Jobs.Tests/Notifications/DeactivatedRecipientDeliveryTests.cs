using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Tests.Scheduling;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Jobs.Tests.Notifications;

/// <summary>
/// Decision 156 end to end: a person who can no longer sign in gets no e-mail. The secretary, deactivated while their
/// ballot reminder and overdue alert wait in the outbox, gets neither when the SMTP server returns, and everyone else gets
/// theirs; a notice written after a deactivation committed (a step on another host that read the directory first) is
/// refused when it is claimed; an account reactivated gets its later notices. A real Hangfire server, a real SMTP server,
/// a real database; run once per provider.
/// </summary>
public abstract class DeactivatedRecipientDeliveryScenarios
{
    private const string Admin = "p-admin-shen";
    private const string Secretary = "p-secretary-wang";
    private const string Zhang = "p-member-zhang";
    private const string Chen = "p-member-chen";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_person_deactivated_while_their_reminder_and_escalation_wait_gets_neither_and_everyone_else_gets_theirs()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();
        await smtp.StopAsync(); // down: every e-mail meets a refused connection and waits for its retry
        await using var host = await JobsTestHost.StartAsync(database, smtp.Port, smtpMaxAttempts: 40);
        var id = await host.StartBallotAsync();
        var ballot = await host.BallotOfAsync(id);
        foreach (var voter in ReminderDeliveryScenarios.EarlyVoters)
        {
            await host.VoteAsync(id, ballot, voter, "consent");
        }

        // The eight reminders and both escalations are written and tried once, the secretary's among them.
        Assert.True(await Eventually.HoldsAsync(async () => await AttemptedAsync(host, id) >= 10, TimeSpan.FromSeconds(40)), "the ballot's e-mails were not all attempted");
        var deactivated = await host.Services.GetRequiredService<DirectoryAdministration>().DeactivatePersonAsync(Admin, JobsTestHost.Community, Secretary);
        Assert.True(deactivated.Succeeded, deactivated.Message);
        smtp.Start();

        var expected = ReminderDeliveryScenarios.Expected().Where(m => m.To != "wang.jianguo@example.org").Order().ToList();
        Assert.Equal(8, expected.Count);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= expected.Count), TimeSpan.FromSeconds(30)), $"only {smtp.Messages.Count} e-mails arrived");
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken); // retries still scheduled must not send the secretary's

        Assert.Equal(expected, smtp.Received.Select(m => (m.To, ReminderDeliveryScenarios.KindOf(m.Subject))).Order());
        await using var db = await host.OpenDbAsync();
        var secretarys = await db.NotificationDeliveries.AsNoTracking()
            .Where(d => db.Notifications.Any(n => n.Id == d.NotificationId && n.InstanceId == id && n.RecipientId == Secretary))
            .Select(d => new { d.Status, d.LastError, d.SentAt }).ToListAsync();
        Assert.Equal(2, secretarys.Count); // the reminder and the escalation
        Assert.All(secretarys, d => Assert.Equal((DeliveryStatus.Suppressed, InactiveRecipientNotices.DeactivatedReason, (DateTimeOffset?)null), (d.Status, d.LastError, d.SentAt)));
    }

    [Fact]
    public async Task A_notice_written_after_a_deactivation_committed_is_not_sent_and_a_reactivated_account_is_emailed_again()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();

        // Built, not yet started: nothing is claimed until the notices below are all written.
        await using var host = await JobsTestHost.CreateAsync(database, smtp.Port, JobsTestHost.FastScheduling("deactivated"));
        var deactivated = await host.Services.GetRequiredService<DirectoryAdministration>().DeactivatePersonAsync(Admin, JobsTestHost.Community, Zhang);
        Assert.True(deactivated.Succeeded, deactivated.Message);
        await using (var db = await host.OpenDbAsync())
        {
            // Chen's account, deactivated by an administrator: the account row as account administration leaves it.
            db.Accounts.Add(new Account { PersonId = Chen, UserName = "chen", Email = "chen.hao@example.org", DeactivatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        // The steps that wrote these read the directory before the deactivation and committed after its suppression ran.
        var toZhang = await WriteNoticeAsync(host, Zhang, "race/zhang", "迟到的通知");
        var toChen = await WriteNoticeAsync(host, Chen, "race/chen", "停用期间的通知");
        await host.RunAsync();
        Assert.True(await Eventually.HoldsAsync(async () => await SettledAsync(host, toZhang, toChen), TimeSpan.FromSeconds(30)), "the sweep did not claim both notices");

        await using (var db = await host.OpenDbAsync())
        {
            await db.Accounts.Where(a => a.PersonId == Chen).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeactivatedAt, (DateTimeOffset?)null));
        }

        // Handed to delivery at once, as a committed step hands its notices (the sweep would take up to a minute).
        var again = await WriteNoticeAsync(host, Chen, "race/chen-again", "重新启用后的通知");
        host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<DeliverNotificationJob>(job => job.RunAsync(again, CancellationToken.None));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!smtp.Messages.IsEmpty), TimeSpan.FromSeconds(30)), "the reactivated account was not e-mailed");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);

        var mail = Assert.Single(smtp.Received);
        Assert.Equal("chen.hao@example.org", mail.To);
        Assert.Contains("重新启用后的通知", mail.Body, StringComparison.Ordinal);
        await using var check = await host.OpenDbAsync();
        foreach (var notice in new[] { toZhang, toChen })
        {
            var delivery = await check.NotificationDeliveries.AsNoTracking().SingleAsync(d => d.NotificationId == notice);
            Assert.Equal((DeliveryStatus.Suppressed, InactiveRecipientNotices.InactiveReason), (delivery.Status, delivery.LastError));
        }
    }

    private static async Task<Guid> WriteNoticeAsync(JobsTestHost host, string person, string key, string message)
    {
        await using var db = await host.OpenDbAsync();
        var data = new JsonObject { ["kind"] = "notice", ["processName.zh-CN"] = "测试", ["processName.en"] = "Test", ["message.zh-CN"] = message, ["message.en"] = message };
        var notice = await DeliveryPlan.AddAsync(db, new PersonalNotice(JobsTestHost.Community, person, key, "test-notice", data), DateTimeOffset.UtcNow, CancellationToken.None);
        await db.SaveChangesAsync();
        return notice.Id;
    }

    private static async Task<bool> SettledAsync(JobsTestHost host, params Guid[] notices)
    {
        await using var db = await host.OpenDbAsync();
        return await db.NotificationDeliveries.CountAsync(d => notices.Contains(d.NotificationId) && d.Status != DeliveryStatus.Pending && d.Status != DeliveryStatus.Sending) == notices.Length;
    }

    private static async Task<int> AttemptedAsync(JobsTestHost host, Guid id)
    {
        await using var db = await host.OpenDbAsync();
        return await db.NotificationDeliveries.CountAsync(d => d.Attempts >= 1 && d.Status == DeliveryStatus.Pending
            && db.Notifications.Any(n => n.Id == d.NotificationId && n.InstanceId == id));
    }
}

public sealed class SqliteDeactivatedRecipientDeliveryTests : DeactivatedRecipientDeliveryScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlDeactivatedRecipientDeliveryTests : DeactivatedRecipientDeliveryScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
