using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.InService;

/// <summary>
/// Claims past their date on a real database: the member is reminded once, the office a working day later (over a
/// weekend), two hosts sweeping at once send each reminder once, a confirmed claim is never reminded, and no sweep ever
/// ends a claim.
/// </summary>
public abstract class ClaimReminderScenarios
{
    private const string Zhou = "p-inservice-zhou";
    private const string Ye = "p-inservice-ye";
    private const string Huang = "p-inservice-huang";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new DateTimeOffset(2026, month, day, hour, minute, 0, Shanghai).ToUniversalTime();

    private static async Task<Guid> ClaimAsync(WorkflowTestHost host, string title, DateOnly dueOn, string member)
    {
        var desk = host.Services.GetRequiredService<ServiceDesk>();
        var offer = await desk.PublishAsync(ProcessDriver.OfficeXie, ProcessDriver.Community,
            new OfferInput(ServiceOfferKind.Post, ServiceCategory.SafetyPatrol, title, null, 5, dueOn));
        return (await desk.ClaimAsync(ProcessDriver.Community, offer.Id!.Value, member)).Id!.Value;
    }

    private static async Task<List<Notification>> RemindersAsync(WorkflowTestHost host, Guid claim)
    {
        await using var db = await host.OpenDbAsync();
        return [.. (await db.Notifications.Where(n => n.Template.StartsWith("claim-overdue")).ToListAsync()).Where(n => n.UniqueKey.Contains(claim.ToString()))];
    }

    private static async Task<List<string>> OfficeAsync(WorkflowTestHost host)
    {
        await using var db = await host.OpenDbAsync();
        return await db.PersonRoles.Where(r => r.Role == RoleNames.Office)
            .Join(db.People.Where(p => p.CommunityId == ProcessDriver.Community && p.DeactivatedAt == null), r => r.PersonId, p => p.Id, (r, p) => p.Id)
            .OrderBy(p => p).ToListAsync();
    }

    [Fact]
    public async Task A_claim_past_its_date_reminds_the_member_once_then_the_office_a_working_day_later_and_stays_open()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var reminders = host.Services.GetRequiredService<ClaimReminders>();
        var late = await ClaimAsync(host, "周四晚间治安巡逻", new DateOnly(2026, 12, 3), Zhou);      // due Thursday
        var served = await ClaimAsync(host, "周四反诈宣传", new DateOnly(2026, 12, 3), Ye);
        Assert.True((await host.Services.GetRequiredService<ServiceDesk>()
            .ConfirmAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, served, true, 120, new DateOnly(2026, 11, 27))).Succeeded);

        host.Time.SetUtcNow(At(12, 3, 20));                                  // still its date: nothing yet
        Assert.Equal(new ClaimReminderCounts(0, 0), await reminders.SweepAsync());

        host.Time.SetUtcNow(At(12, 4, 9));                                   // Friday
        Assert.Equal(new ClaimReminderCounts(1, 0), await reminders.SweepAsync());
        Assert.Equal(new ClaimReminderCounts(0, 0), await reminders.SweepAsync());
        var member = Assert.Single(await RemindersAsync(host, late));
        Assert.Equal((Zhou, ClaimReminders.MemberTemplate), (member.RecipientId, member.Template));
        Assert.Contains("周四晚间治安巡逻", JsonNode.Parse(member.DataJson)!["message.zh-CN"]!.GetValue<string>());
        Assert.Empty(await RemindersAsync(host, served));

        host.Time.SetUtcNow(At(12, 6, 12));                                  // Sunday: not a working day later yet
        Assert.Equal(new ClaimReminderCounts(0, 0), await reminders.SweepAsync());

        host.Time.SetUtcNow(At(12, 7, 17, 0));                               // Monday, before its working day ends
        Assert.Equal(new ClaimReminderCounts(0, 0), await reminders.SweepAsync());

        host.Time.SetUtcNow(At(12, 7, 17, 45));                              // the member's next working day has ended
        Assert.Equal(new ClaimReminderCounts(0, 1), await reminders.SweepAsync());
        Assert.Equal(new ClaimReminderCounts(0, 0), await reminders.SweepAsync());
        var office = (await RemindersAsync(host, late)).Where(n => n.Template == ClaimReminders.OfficeTemplate).Select(n => n.RecipientId).Order().ToList();
        Assert.Contains(ProcessDriver.OfficeXie, office);
        Assert.Equal(await OfficeAsync(host), office);

        await using var db = await host.OpenDbAsync();
        var claim = await db.Set<ServiceClaim>().SingleAsync(c => c.Id == late);
        Assert.Equal(ServiceClaimStatus.Claimed, claim.Status);                // never marked done by itself
        Assert.Equal((At(12, 4, 9), At(12, 7, 17, 45)), (claim.MemberRemindedAt, claim.OfficeRemindedAt));
        Assert.True(await db.NotificationDeliveries.AnyAsync(d => d.NotificationId == member.Id)); // through the channels' outbox
    }

    [Fact]
    public async Task The_office_reminder_goes_to_the_office_as_the_directory_stands_at_its_turn()
    {
        await using var host = await WorkflowTestHost.StartAsync(await CreateDatabaseAsync());
        var reminders = host.Services.GetRequiredService<ClaimReminders>();
        var late = await ClaimAsync(host, "周五楼道清扫", new DateOnly(2026, 12, 3), Zhou);
        host.Time.SetUtcNow(At(12, 4, 9));
        Assert.Equal(new ClaimReminderCounts(1, 0), await reminders.SweepAsync());
        await using (var db = await host.OpenDbAsync())
        {
            // The cache holds the office as it was; the changes below move the stamp, so the reminder must not use this copy.
            var cached = await host.Services.GetRequiredService<DirectoryCache>().GetAsync(db, ProcessDriver.Community);
            Assert.Contains(cached.InRole(RoleNames.Office), p => p.Id == "p-office-lu");
        }

        // Lu leaves the office; Huang joins it.
        var directory = host.Services.GetRequiredService<DirectoryAdministration>();
        Assert.True((await directory.EndRoleAsync("p-admin-shen", ProcessDriver.Community, "p-office-lu", RoleNames.Office, new DateOnly(2026, 12, 4))).Succeeded);
        Assert.True((await directory.GrantRoleAsync("p-admin-shen", ProcessDriver.Community, Huang, RoleNames.Office, new DateOnly(2026, 12, 4))).Succeeded);

        host.Time.SetUtcNow(At(12, 7, 17, 45));
        Assert.Equal(new ClaimReminderCounts(0, 1), await reminders.SweepAsync());
        var office = (await RemindersAsync(host, late)).Where(n => n.Template == ClaimReminders.OfficeTemplate).Select(n => n.RecipientId).Order().ToList();
        Assert.Contains(Huang, office);
        Assert.DoesNotContain("p-office-lu", office);
        Assert.Equal(await OfficeAsync(host), office);
    }

    [Fact]
    public async Task Two_hosts_sweeping_at_once_send_each_reminder_exactly_once()
    {
        await using var database = await CreateDatabaseAsync();
        await using var first = await WorkflowTestHost.StartAsync(database);
        await using var second = await WorkflowTestHost.StartAsync(database, first.Time);
        var claims = new List<Guid>();
        foreach (var (member, round) in new[] { Zhou, Ye, Huang }.SelectMany(m => Enumerable.Range(0, 3).Select(r => (m, r))))
        {
            claims.Add(await ClaimAsync(first, $"巡逻 {member} {round}", new DateOnly(2026, 11, 30), member));
        }

        first.Time.SetUtcNow(At(12, 1, 9));
        var start = new TaskCompletionSource();
        var sweeps = new[] { first, second }.Select(h => Task.Run(async () =>
        {
            await start.Task;
            return await h.Services.GetRequiredService<ClaimReminders>().SweepAsync();
        })).ToArray();
        start.SetResult();
        var counts = await Task.WhenAll(sweeps);
        Assert.Equal(claims.Count, counts.Sum(c => c.Members));

        first.Time.SetUtcNow(At(12, 2, 18));
        start = new TaskCompletionSource();
        sweeps = [.. new[] { first, second }.Select(h => Task.Run(async () =>
        {
            await start.Task;
            return await h.Services.GetRequiredService<ClaimReminders>().SweepAsync();
        }))];
        start.SetResult();
        counts = await Task.WhenAll(sweeps);
        Assert.Equal(claims.Count, counts.Sum(c => c.Office));

        var officeCount = (await OfficeAsync(first)).Count;
        foreach (var claim in claims)
        {
            var sent = await RemindersAsync(first, claim);
            Assert.Single(sent, n => n.Template == ClaimReminders.MemberTemplate);
            Assert.Equal(officeCount, sent.Count(n => n.Template == ClaimReminders.OfficeTemplate));
        }
    }
}

public sealed class SqliteClaimReminderTests : ClaimReminderScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlClaimReminderTests : ClaimReminderScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
