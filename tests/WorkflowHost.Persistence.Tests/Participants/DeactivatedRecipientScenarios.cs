using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Participants;

/// <summary>
/// Decision 156 on a real database: deactivating a person suppresses, in the deactivation's transaction, the deliveries to
/// them still waiting (and only those: a claimed one, someone else's and the in-app notices stay); a refused deactivation
/// suppresses nothing; and the outbox's claim refuses a delivery to a person or an account deactivated at that moment,
/// while a reactivated account's later notice is claimed as any other.
/// </summary>
public abstract class DeactivatedRecipientScenarios
{
    private const string Admin = "p-admin-shen";
    private const string Community = ProcessDriver.Community;
    private const string Zhang = "p-member-zhang";
    private const string Chen = "p-member-chen";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static async Task<Guid> WriteNoticeAsync(WorkflowTestHost host, string person, string key)
    {
        await using var db = await host.OpenDbAsync();
        var data = new JsonObject { ["kind"] = "notice", ["message.zh-CN"] = "请办理", ["message.en"] = "Please act" };
        var notice = await DeliveryPlan.AddAsync(db, new PersonalNotice(Community, person, key, "test-notice", data), host.Time.GetUtcNow(), CancellationToken.None);
        await db.SaveChangesAsync();
        return notice.Id;
    }

    private static async Task<NotificationDelivery> DeliveryAsync(WorkflowTestHost host, Guid notice)
    {
        await using var db = await host.OpenDbAsync();
        return await db.NotificationDeliveries.AsNoTracking().SingleAsync(d => d.NotificationId == notice);
    }

    private static ChannelOutbox OutboxOf(WorkflowTestHost host) =>
        new(host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(), host.Time);

    [Fact]
    public async Task Deactivating_a_person_suppresses_only_their_waiting_deliveries_and_a_refused_deactivation_nothing()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var directory = host.Services.GetRequiredService<DirectoryAdministration>();
        var waiting = await WriteNoticeAsync(host, Zhang, "test/zhang/waiting");
        var claimed = await WriteNoticeAsync(host, Zhang, "test/zhang/claimed");
        var chens = await WriteNoticeAsync(host, Chen, "test/chen/waiting");
        Assert.NotNull(await OutboxOf(host).ClaimAsync(claimed, DeliveryChannel.Email, TimeSpan.FromMinutes(5))); // a sender holds it

        var refused = await directory.DeactivatePersonAsync(Zhang, Community, Zhang); // nobody deactivates themselves
        Assert.Equal(DirectoryOutcome.Conflict, refused.Outcome);
        var untouched = await DeliveryAsync(host, waiting);
        Assert.Equal((DeliveryStatus.Pending, (string?)null), (untouched.Status, untouched.LastError));

        var done = await directory.DeactivatePersonAsync(Admin, Community, Zhang);
        Assert.True(done.Succeeded, done.Message);

        var suppressed = await DeliveryAsync(host, waiting);
        Assert.Equal((DeliveryStatus.Suppressed, InactiveRecipientNotices.DeactivatedReason), (suppressed.Status, suppressed.LastError));
        Assert.Null(suppressed.SentAt);
        Assert.Equal(DeliveryStatus.Sending, (await DeliveryAsync(host, claimed)).Status);
        Assert.Equal(DeliveryStatus.Pending, (await DeliveryAsync(host, chens)).Status);
        await using var db = await host.OpenDbAsync();
        Assert.Equal(2, await db.Notifications.CountAsync(n => n.RecipientId == Zhang && n.Template == "test-notice")); // the in-app notices stay
    }

    [Fact]
    public async Task A_claim_refuses_a_delivery_to_a_deactivated_person_or_account_and_sends_again_after_the_account_is_reactivated()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var outbox = OutboxOf(host);
        await using (var db = await host.OpenDbAsync())
        {
            db.Accounts.Add(new Account { PersonId = Chen, UserName = "chen", Email = "chen.hao@example.org", DeactivatedAt = host.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        // Written after the deactivation had run its suppression (a step on another host that read the directory before it).
        Assert.True((await host.Services.GetRequiredService<DirectoryAdministration>().DeactivatePersonAsync(Admin, Community, Zhang)).Succeeded);
        var toZhang = await WriteNoticeAsync(host, Zhang, "test/zhang/late");
        var toChen = await WriteNoticeAsync(host, Chen, "test/chen/while-deactivated");

        foreach (var notice in new[] { toZhang, toChen })
        {
            Assert.Null(await outbox.ClaimAsync(notice, DeliveryChannel.Email, TimeSpan.FromMinutes(5)));
            var delivery = await DeliveryAsync(host, notice);
            Assert.Equal((DeliveryStatus.Suppressed, InactiveRecipientNotices.InactiveReason), (delivery.Status, delivery.LastError));
        }

        await using (var db = await host.OpenDbAsync())
        {
            await db.Accounts.Where(a => a.PersonId == Chen).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeactivatedAt, (DateTimeOffset?)null));
        }

        var afterReactivation = await WriteNoticeAsync(host, Chen, "test/chen/reactivated");
        var delivered = await outbox.ClaimAsync(afterReactivation, DeliveryChannel.Email, TimeSpan.FromMinutes(5));
        Assert.NotNull(delivered);
        Assert.Equal("chen.hao@example.org", delivered.Email);
        Assert.Equal(DeliveryStatus.Suppressed, (await DeliveryAsync(host, toChen)).Status); // what was suppressed stays so
    }
}

public sealed class SqliteDeactivatedRecipientTests : DeactivatedRecipientScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlDeactivatedRecipientTests : DeactivatedRecipientScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
