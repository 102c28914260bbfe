using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Tests.Notifications;

/// <summary>
/// A copy (抄送) withdrawn while its e-mail still waits in the outbox: the SMTP server is down when two members are copied,
/// so both e-mails wait for a retry; one copy is withdrawn; when the server returns, only the member still copied gets the
/// copy's e-mail, the other gets the withdrawal's, and the withdrawn copy's delivery is marked suppressed. A real Hangfire
/// server, a real SMTP server, a real database; run once per provider.
/// </summary>
public abstract class WithdrawnCopyDeliveryScenarios
{
    private const string Zhang = "p-member-zhang";
    private const string Chen = "p-member-chen";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_copy_withdrawn_before_its_email_went_out_is_not_sent_and_is_marked_suppressed()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();
        await smtp.StopAsync(); // down: every e-mail meets a refused connection and waits for its retry
        await using var host = await JobsTestHost.StartAsync(database, smtp.Port, smtpMaxAttempts: 20);
        var started = await host.Commands.StartAsync(new StartCommand("test-copied-case", JobsTestHost.Community, JobsTestHost.Liaison, new JsonObject { ["title"] = "抄送" }));
        Assert.True(started.Succeeded, started.Message);
        var id = started.InstanceId;
        Assert.True((await ResumeAsync(host, id, new CopyCase(JobsTestHost.Liaison, [Zhang, Chen], "请知悉"))).Succeeded);
        Assert.True(await Eventually.HoldsAsync(async () => await AttemptedCopiesAsync(host, id) >= 2, TimeSpan.FromSeconds(30)), "the copies' e-mails were not attempted");

        Assert.True((await ResumeAsync(host, id, new WithdrawCopy(JobsTestHost.Liaison, Zhang, "抄送对象有误"))).Succeeded);
        smtp.Start();

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= 2), TimeSpan.FromSeconds(30)), $"only {smtp.Messages.Count} e-mails arrived");
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken); // retries still scheduled must not send the withdrawn copy

        var received = smtp.Received.Select(m => (m.To, Kind: m.Subject.StartsWith("【撤回抄送】", StringComparison.Ordinal) ? "withdrawn" : m.Subject.StartsWith("【抄送】", StringComparison.Ordinal) ? "copied" : m.Subject))
            .Order().ToList();
        Assert.Equal([("chen.hao@example.org", "copied"), ("zhang.min@example.org", "withdrawn")], received);

        await using var db = await host.OpenDbAsync();
        var zhangsCopy = await DeliveryAsync(db, id, Zhang);
        Assert.Equal(DeliveryStatus.Suppressed, zhangsCopy.Status);
        Assert.Equal(WithdrawnCopyNotices.Reason, zhangsCopy.LastError);
        Assert.Null(zhangsCopy.SentAt);
        Assert.Equal(DeliveryStatus.Sent, (await DeliveryAsync(db, id, Chen)).Status);
    }

    private static Task<CommandResult> ResumeAsync(JobsTestHost host, Guid id, Stimulus stimulus) =>
        host.Commands.ResumeAsync(new ResumeCommand(id, JobsTestHost.Community, stimulus));

    private static Task<NotificationDelivery> DeliveryAsync(WorkflowDbContext db, Guid id, string person) =>
        db.NotificationDeliveries.SingleAsync(d => db.Notifications.Any(n => n.Id == d.NotificationId && n.InstanceId == id
            && n.RecipientId == person && n.Template == Copies.CopiedTemplate));

    private static async Task<int> AttemptedCopiesAsync(JobsTestHost host, Guid id)
    {
        await using var db = await host.OpenDbAsync();
        return await db.NotificationDeliveries.CountAsync(d => d.Attempts >= 1 && d.Status == DeliveryStatus.Pending
            && db.Notifications.Any(n => n.Id == d.NotificationId && n.InstanceId == id && n.Template == Copies.CopiedTemplate));
    }
}

public sealed class SqliteWithdrawnCopyDeliveryTests : WithdrawnCopyDeliveryScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlWithdrawnCopyDeliveryTests : WithdrawnCopyDeliveryScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync(migrated: true);
}
