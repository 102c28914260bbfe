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
/// A delegate's reading ended while the e-mail asking them to prepare the task still waited in the outbox: the office
/// delegates the task, the colleague hands it back and the office ends their reading, all before the host's Hangfire
/// server runs; when it runs, the colleague gets the e-mail saying their reading ended and never the one asking them to
/// prepare, whose delivery was marked suppressed by the withdrawal itself, while the holder still gets the hand-back. A
/// real Hangfire server, a real SMTP server, a real database; run once per provider.
/// </summary>
public abstract class EndedReadingDeliveryScenarios
{
    private const string Office = "p-office-xie";
    private const string Zhang = "p-member-zhang";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_delegation_whose_reading_ended_before_its_email_went_out_is_not_sent_and_is_marked_suppressed()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();

        // Built, not yet started: every e-mail of these steps waits in the outbox until the server runs.
        await using var host = await JobsTestHost.CreateAsync(database, smtp.Port, JobsTestHost.FastScheduling("ended-reading"));
        var started = await host.Commands.StartAsync(new StartCommand("test-copied-case", JobsTestHost.Community, JobsTestHost.Liaison, new JsonObject { ["title"] = "委派" }));
        Assert.True(started.Succeeded, started.Message);
        var id = started.InstanceId;
        var check = Assert.Single((await host.Queries.GetAsync(id))!.WorkItems).BookmarkId;
        Assert.True((await ResumeAsync(host, id, new ClaimTask(check, Office))).Succeeded);
        Assert.True((await ResumeAsync(host, id, new DelegateTask(check, Office, Zhang, "请先核对材料"))).Succeeded);
        Assert.Equal(DeliveryStatus.Pending, (await DelegationAsync(host, id)).Status);
        Assert.True((await ResumeAsync(host, id, new ReturnDelegatedTask(check, Zhang, "材料已核对"))).Succeeded);
        Assert.True((await ResumeAsync(host, id, new EndDelegateReading(Office, Zhang, "准备工作已完成"))).Succeeded);

        var delegation = await DelegationAsync(host, id);
        Assert.Equal((DeliveryStatus.Suppressed, EndedReadingNotices.Reason), (delegation.Status, delegation.LastError));

        await host.RunAsync();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Received.Any(m => m.To == "zhang.min@example.org")
            && smtp.Received.Any(m => m.To == "xie.ting@example.org")), TimeSpan.FromSeconds(30)), $"only {smtp.Messages.Count} e-mails arrived");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // a later sweep must not send the delegation

        var toZhang = smtp.Received.Where(m => m.To == "zhang.min@example.org").Select(m => m.Subject).ToList();
        Assert.StartsWith("【结束查阅】", Assert.Single(toZhang), StringComparison.Ordinal);
        Assert.Contains(smtp.Received, m => m.To == "xie.ting@example.org" && m.Subject.StartsWith("【交回】", StringComparison.Ordinal));
        delegation = await DelegationAsync(host, id);
        Assert.Equal((DeliveryStatus.Suppressed, EndedReadingNotices.Reason), (delegation.Status, delegation.LastError));
        Assert.Null(delegation.SentAt);
    }

    private static Task<CommandResult> ResumeAsync(JobsTestHost host, Guid id, Stimulus stimulus) =>
        host.Commands.ResumeAsync(new ResumeCommand(id, JobsTestHost.Community, stimulus));

    private static async Task<NotificationDelivery> DelegationAsync(JobsTestHost host, Guid id)
    {
        await using var db = await host.OpenDbAsync();
        return await DeliveryAsync(db, id);
    }

    private static Task<NotificationDelivery> DeliveryAsync(WorkflowDbContext db, Guid id) =>
        db.NotificationDeliveries.AsNoTracking().SingleAsync(d => db.Notifications.Any(n => n.Id == d.NotificationId && n.InstanceId == id
            && n.RecipientId == Zhang && n.Template == TaskMoveTemplates.Delegated));
}

public sealed class SqliteEndedReadingDeliveryTests : EndedReadingDeliveryScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlEndedReadingDeliveryTests : EndedReadingDeliveryScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync(migrated: true);
}
