using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Tests.Notifications;

/// <summary>
/// A task transferred to someone and on to someone else before the first transfer's e-mail went out: when the host's
/// Hangfire server runs, the person who holds the task now gets their e-mail, and the one it moved away from gets none,
/// their delivery marked suppressed when the sender re-checks it. A real Hangfire server, a real SMTP server, a real
/// database; run once per provider.
/// </summary>
public abstract class MovedTaskDeliveryScenarios
{
    private const string Xie = "p-office-xie";
    private const string Lu = "p-office-lu";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_transfer_whose_task_moved_on_before_its_email_went_out_is_suppressed_and_the_new_holder_is_told()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();

        // Built, not yet started: the transfers' e-mails wait in the outbox until the server runs.
        await using var host = await JobsTestHost.CreateAsync(database, smtp.Port, JobsTestHost.FastScheduling("moved-task"));
        var started = await host.Commands.StartAsync(new StartCommand("test-copied-case", JobsTestHost.Community, JobsTestHost.Liaison, new JsonObject { ["title"] = "转交" }));
        Assert.True(started.Succeeded, started.Message);
        var id = started.InstanceId;
        var check = Assert.Single((await host.Queries.GetAsync(id))!.WorkItems).BookmarkId;
        Assert.True((await ResumeAsync(host, id, new ClaimTask(check, Xie))).Succeeded);
        Assert.True((await ResumeAsync(host, id, new TransferTask(check, Xie, Lu, "我明天出差"))).Succeeded);
        Assert.True((await ResumeAsync(host, id, new TransferTask(check, Lu, Xie, "行程取消，仍由谢婷办理"))).Succeeded);

        await host.RunAsync();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Received.Any(m => m.To == "xie.ting@example.org")), TimeSpan.FromSeconds(30)),
            $"{smtp.Messages.Count} e-mails arrived, none to the holder");
        Assert.True(await Eventually.HoldsAsync(async () => (await TransferToAsync(host, id, Lu)).Status != DeliveryStatus.Pending, TimeSpan.FromSeconds(30)),
            "the stale transfer's delivery was never looked at");
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        Assert.StartsWith("【转交】", Assert.Single(smtp.Received, m => m.To == "xie.ting@example.org").Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(smtp.Received, m => m.To == "lu.peng@example.org");
        var stale = await TransferToAsync(host, id, Lu);
        Assert.Equal((DeliveryStatus.Suppressed, TaskMoveNoticeRelevance.Reason), (stale.Status, stale.LastError));
        Assert.Null(stale.SentAt);
        Assert.Equal(DeliveryStatus.Sent, (await TransferToAsync(host, id, Xie)).Status);
    }

    private static Task<CommandResult> ResumeAsync(JobsTestHost host, Guid id, Stimulus stimulus) =>
        host.Commands.ResumeAsync(new ResumeCommand(id, JobsTestHost.Community, stimulus));

    private static async Task<NotificationDelivery> TransferToAsync(JobsTestHost host, Guid id, string person)
    {
        await using var db = await host.OpenDbAsync();
        return await db.NotificationDeliveries.AsNoTracking().SingleAsync(d => db.Notifications.Any(n => n.Id == d.NotificationId && n.InstanceId == id
            && n.RecipientId == person && n.Template == TaskMoveTemplates.Transferred));
    }
}

public sealed class SqliteMovedTaskDeliveryTests : MovedTaskDeliveryScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlMovedTaskDeliveryTests : MovedTaskDeliveryScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync(migrated: true);
}
