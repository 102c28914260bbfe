using WorkflowHost.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Notifications.Channels;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Instances;
using static WorkflowHost.Jobs.Tests.Notifications.Channels.ChannelTestSetup;

namespace WorkflowHost.Jobs.Tests.Notifications.Channels;

/// <summary>
/// SMS reminders and the daily digest: the gateway's signed request, the request id that makes a resend after a crash
/// harmless, quiet hours and rest days across the 调休 weekend of 28 February 2026, and one digest per person and working
/// day with two hosts.
/// </summary>
public abstract class PersonalChannelScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task An_sms_reminder_is_signed_and_a_resend_after_a_host_died_carries_the_same_request_id_so_it_is_sent_once()
    {
        using var robots = FakePlatform.Start();
        using var gateway = FakePlatform.Start().AnswerInTurn(SmsPath,
            (200, """{"code":"OK","messageId":"gw-0001","status":"accepted"}""", null),
            (200, """{"code":"DUPLICATE","messageId":"gw-0001","message":"request id seen before"}""", null));
        await using var database = await CreateDatabaseAsync();
        await using var world = await ChannelWorld.StartAsync(database, Options(robots, gateway, wecom: false, dingtalk: false, feishu: false));
        await world.SetPhoneAsync("p-member-zheng", Phone);
        await world.Outbox.SavePreferenceAsync("p-member-zheng", [ChannelNames.Sms], digest: false);
        await world.StartBallotAsync();
        world.Time.Advance(TimeSpan.FromSeconds(600)); // the reminder, 3000 s before the 3600 s deadline
        await world.FireDueTimersAsync();

        await using var db = await world.OpenDbAsync();
        var id = await db.Notifications.Where(n => n.RecipientId == "p-member-zheng" && n.Template == "reminder").Select(n => n.Id).SingleAsync();
        Assert.Equal([ChannelNames.Sms], await db.NotificationDeliveries.Where(d => d.NotificationId == id).Select(d => d.Channel).ToListAsync());

        // The dying host: claims, the gateway accepts, the host is killed before it records "sent".
        var claim = await world.Outbox.ClaimAsync(id, ChannelNames.Sms, DeliverNotificationJob.Lease);
        var sms = world.Services.GetServices<INotificationChannel>().Single(c => c.Name == ChannelNames.Sms);
        Assert.Equal(ChannelOutcome.Sent, (await sms.SendAsync(claim!, CancellationToken.None)).Outcome);
        world.Time.Advance(DeliverNotificationJob.Lease + TimeSpan.FromSeconds(1));
        await world.DeliverDueAsync();

        var requests = gateway.Requests(SmsPath);
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].Json["requestId"]!.GetValue<string>(), requests[1].Json["requestId"]!.GetValue<string>());
        Assert.Equal(SmsChannel.RequestId(id), requests[0].Json["requestId"]!.GetValue<string>());
        foreach (var request in requests)
        {
            Assert.Equal(SmsAppId, request.Headers["X-App-Id"]);
            Assert.Equal(SmsSign(SmsAppId, request.Headers["X-Timestamp"], request.Headers["X-Nonce"], request.Body, SmsSecret), request.Headers["X-Signature"]);
            Assert.Equal(Phone, request.Json["phone"]!.GetValue<string>());
            Assert.Equal("SMS_REMIND_01", request.Json["templateId"]!.GetValue<string>());
            Assert.Equal("通道无记名表决", request.Json["params"]!["activity"]!.GetValue<string>());
            Assert.DoesNotContain(SmsSecret, request.Body + string.Join(",", request.Headers.Values), StringComparison.Ordinal);
        }

        Assert.NotEqual(requests[0].Headers["X-Nonce"], requests[1].Headers["X-Nonce"]);
        var row = await db.NotificationDeliveries.AsNoTracking().SingleAsync(d => d.NotificationId == id);
        Assert.Equal(DeliveryStatus.Sent, row.Status);
        Assert.Equal("gw-0001", row.ExternalId);
        Assert.Equal("138****5678", row.Address);

        // A delivery report arriving later is recorded by the gateway's message id.
        Assert.True(await world.Outbox.RecordReportAsync(ChannelNames.Sms, "gw-0001", "delivered"));
        Assert.Equal("delivered", await db.NotificationDeliveries.Where(d => d.NotificationId == id).Select(d => d.Report).SingleAsync());
        Assert.DoesNotContain(Phone, world.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiet_hours_and_rest_days_hold_reminders_and_escalations_to_the_next_working_morning_and_the_digest_comes_once_per_working_day()
    {
        // Friday 27 February 2026, 21:55 in Beijing. Saturday the 28th is a 调休 working day; Sunday 1 March is not.
        var friday = new DateTimeOffset(2026, 2, 27, 21, 55, 0, TimeSpan.FromHours(8));
        using var robots = FakePlatform.Start();
        using var gateway = FakePlatform.Start().Answer(SmsPath, 200, """{"code":"OK","messageId":"gw","status":"accepted"}""");
        await using var database = await CreateDatabaseAsync();
        var options = Options(robots, gateway, wecom: false, dingtalk: false, feishu: false, quiet: true);
        await using var world = await ChannelWorld.StartAsync(database, options, friday);
        foreach (var (person, phone) in new[] { ("p-member-zheng", "13900000001"), ("p-secretary-wang", "13900000002"), ("p-member-chen", "13900000003") })
        {
            await world.SetPhoneAsync(person, phone);
        }

        await world.Outbox.SavePreferenceAsync("p-member-zheng", [ChannelNames.Sms], digest: false);
        await world.Outbox.SavePreferenceAsync("p-secretary-wang", [ChannelNames.Sms], digest: false);
        await world.Outbox.SavePreferenceAsync("p-member-chen", [ChannelNames.Sms], digest: true);
        var id = await world.StartBallotAsync();
        var ballot = await world.BallotOfAsync(id);
        var due = friday + TimeSpan.FromSeconds(3600);

        world.Time.Advance(TimeSpan.FromMinutes(10)); // 22:05: the reminder falls due at night
        await world.FireDueTimersAsync();
        await world.DeliverDueAsync();
        var saturdayMorning = new DateTimeOffset(2026, 2, 28, 7, 30, 0, TimeSpan.FromHours(8));
        await using (var db = await world.OpenDbAsync())
        {
            var zheng = await db.NotificationDeliveries.Join(db.Notifications.Where(n => n.RecipientId == "p-member-zheng" && n.Template == "reminder"),
                d => d.NotificationId, n => n.Id, (d, n) => d).SingleAsync();
            Assert.Equal(DeliveryStatus.Pending, zheng.Status);
            Assert.Equal(saturdayMorning, zheng.NextAttemptAt);
            Assert.Equal(0, zheng.Attempts); // a hold is not an attempt
            Assert.Contains("quiet hours", zheng.LastError, StringComparison.Ordinal);

            // The digest reader gets the reminder in the app, and no single message outside it.
            var chen = await db.Notifications.SingleAsync(n => n.RecipientId == "p-member-chen" && n.Template == "reminder");
            Assert.False(await db.NotificationDeliveries.AnyAsync(d => d.NotificationId == chen.Id));
        }

        Assert.Empty(gateway.Requests());
        Assert.Contains(world.Jobs.Created, j => j.At == saturdayMorning);

        world.Time.Advance(TimeSpan.FromMinutes(50)); // 22:55: the deadline; the secretary's escalation waits too
        await world.FireDueTimersAsync();
        await world.DeliverDueAsync();
        Assert.Empty(gateway.Requests());
        await using (var db = await world.OpenDbAsync())
        {
            Assert.Equal(due, await db.WorkItems.Where(w => w.InstanceId == id && w.BookmarkId == ballot).Select(w => w.DueAt).SingleAsync()); // never moves
            Assert.True(await db.Notifications.AnyAsync(n => n.RecipientId == "p-secretary-wang" && n.Template == "escalation"));
        }

        world.Time.Advance(saturdayMorning - world.Time.GetUtcNow() - TimeSpan.FromMinutes(1));
        await world.DeliverDueAsync();
        Assert.Empty(gateway.Requests());
        world.Time.Advance(TimeSpan.FromMinutes(1)); // 07:30 on the 调休 Saturday
        await world.DeliverDueAsync();
        var sent = gateway.Requests(SmsPath);
        Assert.Equal(3, sent.Count); // Zheng's reminder; the secretary's reminder (she is a member too) and her escalation
        Assert.Equal(["SMS_ESCALATE_01", "SMS_REMIND_01", "SMS_REMIND_01"], sent.Select(r => r.Json["templateId"]!.GetValue<string>()).Order());

        // The digest: not before 08:00; at 08:00 two hosts run it at once and write one.
        await using var other = await ChannelWorld.StartAsync(database, options, sharedTime: world.Time);
        await RunDigestAsync(world, other);
        Assert.Equal(0, await DigestsAsync(world));
        world.Time.Advance(TimeSpan.FromMinutes(30));
        await RunDigestAsync(world, other);
        await RunDigestAsync(world, other);
        Assert.Equal(1, await DigestsAsync(world));
        await world.DeliverDueAsync();
        var digest = Assert.Single(gateway.Requests(SmsPath), r => r.Json["templateId"]!.GetValue<string>() == "SMS_DIGEST_01");
        Assert.Equal("13900000003", digest.Json["phone"]!.GetValue<string>());
        Assert.Equal("1", digest.Json["params"]!["open"]!.GetValue<string>());
        Assert.Equal("1", digest.Json["params"]!["overdue"]!.GetValue<string>());

        world.Time.Advance(TimeSpan.FromDays(1)); // Sunday 1 March, 08:00: a rest day, no digest
        await RunDigestAsync(world, other);
        Assert.Equal(1, await DigestsAsync(world));
        world.Time.Advance(TimeSpan.FromDays(1)); // Monday 2 March, 08:00
        await RunDigestAsync(world, other);
        Assert.Equal(2, await DigestsAsync(world));
        await using (var db = await world.OpenDbAsync())
        {
            var keys = await db.Notifications.Where(n => n.Template == ChannelNames.DigestTemplate).Select(n => n.UniqueKey).OrderBy(k => k).ToListAsync();
            Assert.Equal(["digest/p-member-chen/2026-02-28", "digest/p-member-chen/2026-03-02"], keys);
        }
    }

    private static async Task RunDigestAsync(ChannelWorld one, ChannelWorld two) =>
        await Task.WhenAll(
            one.Services.GetRequiredService<DailyDigestJob>().RunAsync(CancellationToken.None),
            two.Services.GetRequiredService<DailyDigestJob>().RunAsync(CancellationToken.None));

    private static async Task<int> DigestsAsync(ChannelWorld world)
    {
        await using var db = await world.OpenDbAsync();
        return await db.Notifications.CountAsync(n => n.Template == ChannelNames.DigestTemplate);
    }
}

public sealed class SqlitePersonalChannelTests : PersonalChannelScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlPersonalChannelTests : PersonalChannelScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync(migrated: true);
}

/// <summary>Quiet hours on the real 2025–2027 calendar, across 调休 weekends and the Spring Festival.</summary>
public sealed class QuietHoursTests
{
    private static readonly QuietHours Rule = new(
        Persistence.Calendar.CalendarLoader.Load(Path.Combine(RepositoryPaths.Seeds, "calendar"), new Persistence.Calendar.CalendarOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance),
        new TimeOnly(22, 0), new TimeOnly(7, 30));

    private static DateTimeOffset Beijing(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(2, 27, 22, 30, 2, 28)] // Friday night → the 调休 Saturday
    [InlineData(2, 28, 22, 30, 3, 2)]  // that Saturday night → Monday (Sunday rests)
    [InlineData(3, 1, 12, 0, 3, 2)]    // Sunday noon → Monday
    [InlineData(2, 13, 23, 0, 2, 14)]  // Friday before the Spring Festival → the 调休 Saturday the 14th
    [InlineData(2, 14, 23, 0, 2, 24)]  // that Saturday night → Tuesday after the holiday (15th–23rd off)
    [InlineData(3, 3, 6, 0, 3, 3)]     // a working day's early morning → the same morning
    public void A_message_at_night_or_on_a_rest_day_waits_for_the_next_working_morning(int month, int day, int hour, int minute, int toMonth, int toDay) =>
        Assert.Equal(Beijing(toMonth, toDay, 7, 30), Rule.HoldUntil(Beijing(month, day, hour, minute)));

    [Theory]
    [InlineData(3, 3, 7, 30)]
    [InlineData(3, 3, 21, 59)]
    [InlineData(2, 28, 10, 0)] // the 调休 Saturday is a working day
    public void A_message_in_working_hours_of_a_working_day_goes_now(int month, int day, int hour, int minute) =>
        Assert.Null(Rule.HoldUntil(Beijing(month, day, hour, minute)));
}
