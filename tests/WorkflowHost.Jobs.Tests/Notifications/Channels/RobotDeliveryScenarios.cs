using WorkflowHost.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Notifications.Channels;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Instances;
using static WorkflowHost.Jobs.Tests.Notifications.Channels.ChannelTestSetup;

namespace WorkflowHost.Jobs.Tests.Notifications.Channels;

/// <summary>
/// The group robots against loopback fakes of WeCom, DingTalk and Feishu: the documented request format and signature,
/// retries on 5xx and on the platforms' rate-limit answers with back-off, a revoked key reported once while the other
/// channels go on, and the at-least-once window of a host that dies between the post and the outbox update.
/// </summary>
public abstract class RobotDeliveryScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_ballot_opened_reaches_each_robot_in_its_documented_format_with_a_valid_signature()
    {
        using var robots = FakePlatform.Start().Answer(WeComPath, 200, Ok).Answer(DingTalkPath, 200, Ok).Answer(FeishuPath, 200, FeishuOk);
        await using var database = await CreateDatabaseAsync();
        await using var world = await ChannelWorld.StartAsync(database, Options(robots));
        var id = await world.StartBallotAsync();
        await world.DeliverDueAsync();

        var wecom = Assert.Single(robots.Requests(WeComPath));
        Assert.Equal(WeComKey, wecom.Query["key"]);
        Assert.Equal("markdown", wecom.Json["msgtype"]!.GetValue<string>());
        var content = wecom.Json["markdown"]!["content"]!.GetValue<string>();
        Assert.Contains("表决开始", content, StringComparison.Ordinal);
        Assert.Contains("通道无记名表决", content, StringComparison.Ordinal);
        Assert.Contains("测试：通道表决", content, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(content) <= 4096);
        Assert.StartsWith("application/json", wecom.Headers["Content-Type"], StringComparison.Ordinal);

        var dingtalk = Assert.Single(robots.Requests(DingTalkPath));
        Assert.Equal(DingTalkToken, dingtalk.Query["access_token"]);
        var timestamp = dingtalk.Query["timestamp"];
        Assert.Equal(world.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(DingTalkSign(timestamp, DingTalkSecret), dingtalk.Query["sign"]);
        Assert.Contains("sign=" + Uri.EscapeDataString(DingTalkSign(timestamp, DingTalkSecret)), dingtalk.Url, StringComparison.Ordinal);
        Assert.Equal("markdown", dingtalk.Json["msgtype"]!.GetValue<string>());
        Assert.Contains("测试：通道表决", dingtalk.Json["markdown"]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("通道无记名表决", dingtalk.Json["markdown"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var feishu = Assert.Single(robots.Requests(FeishuPath));
        var seconds = feishu.Json["timestamp"]!.GetValue<string>();
        Assert.Equal(world.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), seconds);
        Assert.Equal(FeishuSign(seconds, FeishuSecret), feishu.Json["sign"]!.GetValue<string>());
        Assert.Equal("post", feishu.Json["msg_type"]!.GetValue<string>());
        var post = feishu.Json["content"]!["post"]!["zh_cn"]!;
        Assert.Contains("测试：通道表决", post["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("事项：通道无记名表决", post["content"]![0]![0]!["text"]!.GetValue<string>());
        Assert.Equal("text", post["content"]![0]![0]!["tag"]!.GetValue<string>());

        // No secret travels in clear: DingTalk's and Feishu's signing secrets appear in no request.
        Assert.All(robots.Requests(), r => Assert.DoesNotContain(DingTalkSecret, r.Url + r.Body, StringComparison.Ordinal));
        Assert.All(robots.Requests(), r => Assert.DoesNotContain(FeishuSecret, r.Url + r.Body, StringComparison.Ordinal));

        await using var db = await world.OpenDbAsync();
        var rows = await db.NotificationDeliveries.Where(d => ChannelNames.Robots.Contains(d.Channel)).ToListAsync();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(DeliveryStatus.Sent, r.Status));
        Assert.All(rows, r => Assert.Equal(robots.Url, r.Address)); // the host only: the token is in the path or query
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.InstanceId == id && n.RecipientId == ChannelNames.GroupRecipient));

        // Sent once: delivering again sends nothing.
        await world.DeliverDueAsync();
        Assert.Equal(3, robots.Requests().Count);
    }

    /// <summary>
    /// The deciding vote announces the decision with the ballot's activity (looked up only once a robot is known to want
    /// it), and cancels the ballot's deadline and reminder together, in one statement.
    /// </summary>
    [Fact]
    public async Task A_decided_ballot_is_announced_with_its_activity_and_its_timers_are_cancelled()
    {
        using var robots = FakePlatform.Start().Answer(WeComPath, 200, Ok).Answer(DingTalkPath, 200, Ok).Answer(FeishuPath, 200, FeishuOk);
        await using var database = await CreateDatabaseAsync();
        await using var world = await ChannelWorld.StartAsync(database, Options(robots));
        var id = await world.StartBallotAsync();
        var ballot = await world.BallotOfAsync(id);
        await using (var db = await world.OpenDbAsync())
        {
            Assert.True(await db.Timers.CountAsync(t => t.InstanceId == id && t.BookmarkId == ballot && t.Status == TimerStatus.Pending) >= 2,
                "the ballot waits on a deadline and a reminder");
            var voters = await db.BallotVoters.Where(v => v.InstanceId == id && v.BookmarkId == ballot && v.Status == VoterStatus.Pending)
                .Select(v => v.PersonId).OrderBy(p => p).ToListAsync();
            foreach (var voter in voters)
            {
                await world.VoteAsync(id, ballot, voter, "aye-secret");
                if (await db.Instances.AnyAsync(i => i.Id == id && i.Status == InstanceRowStatus.Completed))
                {
                    break; // decided by a majority of the eligible
                }
            }
        }

        await using var read = await world.OpenDbAsync();
        Assert.Equal(InstanceRowStatus.Completed, (await read.Instances.SingleAsync(i => i.Id == id)).Status);
        var timers = await read.Timers.Where(t => t.InstanceId == id && t.BookmarkId == ballot).ToListAsync();
        Assert.All(timers, t => Assert.Equal(TimerStatus.Cancelled, t.Status));
        var announcements = await read.Notifications.Where(n => n.InstanceId == id && n.RecipientId == ChannelNames.GroupRecipient)
            .Select(n => n.DataJson).ToListAsync();
        var decision = Assert.Single(announcements.Select(a => System.Text.Json.Nodes.JsonNode.Parse(a)!), a => a["event"]!.GetValue<string>() == "decision");
        Assert.Equal("secret-vote", decision["activity"]!.GetValue<string>());
        Assert.Equal("passed", decision["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_5xx_and_the_platforms_rate_limit_answers_are_retried_with_back_off_and_sent_once()
    {
        using var robots = FakePlatform.Start()
            .AnswerInTurn(WeComPath, (503, "busy", null), (200, """{"errcode":45009,"errmsg":"api freq out of limit"}""", null), (200, Ok, null))
            .AnswerInTurn(FeishuPath, (429, """{"code":99991400,"msg":"request trigger frequency limit"}""", new Dictionary<string, string> { ["x-ogw-ratelimit-reset"] = "42" }), (200, FeishuOk, null))
            .AnswerInTurn(DingTalkPath, (200, """{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}""", null), (200, Ok, null));
        await using var database = await CreateDatabaseAsync();
        await using var world = await ChannelWorld.StartAsync(database, Options(robots));
        await world.StartBallotAsync();
        var start = world.Time.GetUtcNow();
        await world.DeliverDueAsync();

        Assert.Single(robots.Requests(WeComPath));
        var wecom = await DeliveryAsync(world, ChannelNames.WeCom);
        Assert.Equal(DeliveryStatus.Pending, wecom.Status);
        Assert.Contains("HTTP 503", wecom.LastError, StringComparison.Ordinal);
        Assert.Equal(start + TimeSpan.FromSeconds(10), wecom.NextAttemptAt); // first back-off

        // Feishu's 429 says when: x-ogw-ratelimit-reset 42 s. DingTalk's 130101 silences the robot for ten minutes.
        Assert.Equal(start + TimeSpan.FromSeconds(42), (await DeliveryAsync(world, ChannelNames.Feishu)).NextAttemptAt);
        Assert.Equal(start + TimeSpan.FromMinutes(10), (await DeliveryAsync(world, ChannelNames.DingTalk)).NextAttemptAt);
        Assert.Contains(world.Jobs.Created, j => j.At == start + TimeSpan.FromSeconds(10)); // the delayed job of the retry

        await world.DeliverDueAsync(); // not due yet: nothing is sent
        Assert.Equal(3, robots.Requests().Count);

        world.Time.Advance(TimeSpan.FromSeconds(10));
        await world.DeliverDueAsync();
        Assert.Equal(2, robots.Requests(WeComPath).Count);
        wecom = await DeliveryAsync(world, ChannelNames.WeCom);
        Assert.Contains("45009", wecom.LastError, StringComparison.Ordinal);
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromMinutes(1), wecom.NextAttemptAt); // the rate limit's minute beats the 20 s back-off

        world.Time.Advance(TimeSpan.FromSeconds(58)); // Feishu's turn comes; WeCom's is 2 s away (a claim may be 1 s early)
        await world.DeliverDueAsync();
        Assert.Equal(2, robots.Requests(WeComPath).Count);
        world.Time.Advance(TimeSpan.FromMinutes(10));
        await world.DeliverDueAsync();
        await world.DeliverDueAsync();

        Assert.Equal(3, robots.Requests(WeComPath).Count);
        Assert.Equal(2, robots.Requests(FeishuPath).Count);
        Assert.Equal(2, robots.Requests(DingTalkPath).Count);
        foreach (var channel in ChannelNames.Robots)
        {
            var row = await DeliveryAsync(world, channel);
            Assert.Equal(DeliveryStatus.Sent, row.Status);
            Assert.Null(row.LastError);
        }

        Assert.Equal(3, (await DeliveryAsync(world, ChannelNames.WeCom)).Attempts);
    }

    [Fact]
    public async Task A_revoked_key_is_reported_to_the_administrator_once_and_the_other_channels_keep_working()
    {
        using var robots = FakePlatform.Start().Answer(WeComPath, 200, Ok)
            .Answer(DingTalkPath, 200, """{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}""");
        await using var database = await CreateDatabaseAsync();
        await using var world = await ChannelWorld.StartAsync(database, Options(robots, feishu: false));
        for (var i = 0; i < 5; i++)
        {
            await world.StartBallotAsync(title: $"事项{i}");
        }

        await world.DeliverDueAsync();

        await using (var db = await world.OpenDbAsync())
        {
            Assert.Equal(5, await db.NotificationDeliveries.CountAsync(d => d.Channel == ChannelNames.WeCom && d.Status == DeliveryStatus.Sent));
            var failed = await db.NotificationDeliveries.Where(d => d.Channel == ChannelNames.DingTalk).ToListAsync();
            Assert.Equal(5, failed.Count);
            Assert.All(failed, d => Assert.Equal(DeliveryStatus.Failed, d.Status)); // permanent: no point waiting
            Assert.All(failed, d => Assert.Contains("310000", d.LastError, StringComparison.Ordinal));
            var alert = Assert.Single(await db.Notifications.Where(n => n.Template == ChannelNames.ChannelFailingTemplate).ToListAsync());
            Assert.Equal("p-admin-shen", alert.RecipientId);
            Assert.Contains("dingtalk", alert.DataJson, StringComparison.Ordinal);
        }

        Assert.Single(world.Logs.Lines, l => l.Contains("keeps failing", StringComparison.Ordinal));

        // The administrator fixes the key (here: the platform accepts again) and retries: everything goes out, health is reset.
        robots.Server.Reset();
        robots.Answer(DingTalkPath, 200, Ok).Answer(WeComPath, 200, Ok);
        Assert.Equal(5, (await world.Outbox.RetryChannelAsync(ChannelWorld.Community, ChannelNames.DingTalk)).Count);
        await world.DeliverDueAsync();
        Assert.Equal(5, robots.Requests(DingTalkPath).Count);
        await using (var db = await world.OpenDbAsync())
        {
            Assert.Equal(5, await db.NotificationDeliveries.CountAsync(d => d.Channel == ChannelNames.DingTalk && d.Status == DeliveryStatus.Sent));
            var health = await db.ChannelHealth.SingleAsync(h => h.Channel == ChannelNames.DingTalk);
            Assert.Equal(0, health.ConsecutiveFailures);
            Assert.Null(health.AlertedAt);
        }
    }

    [Fact]
    public async Task A_host_killed_between_the_post_and_the_outbox_update_posts_again_the_documented_at_least_once_window()
    {
        using var robots = FakePlatform.Start().Answer(WeComPath, 200, Ok);
        await using var database = await CreateDatabaseAsync();
        await using var world = await ChannelWorld.StartAsync(database, Options(robots, dingtalk: false, feishu: false));
        await world.StartBallotAsync();
        await using var db = await world.OpenDbAsync();
        var id = await db.NotificationDeliveries.Where(d => d.Channel == ChannelNames.WeCom).Select(d => d.NotificationId).SingleAsync();

        // The dying host: claims, posts, and is killed before it records "sent".
        var claim = await world.Outbox.ClaimAsync(id, ChannelNames.WeCom, Jobs.Notifications.DeliverNotificationJob.Lease);
        var channel = world.Services.GetServices<INotificationChannel>().Single(c => c.Name == ChannelNames.WeCom);
        Assert.Equal(ChannelOutcome.Sent, (await channel.SendAsync(claim!, CancellationToken.None)).Outcome);

        await world.DeliverDueAsync(); // the claim holds: no other host sends meanwhile
        Assert.Single(robots.Requests(WeComPath));

        world.Time.Advance(Jobs.Notifications.DeliverNotificationJob.Lease + TimeSpan.FromSeconds(1));
        await world.DeliverDueAsync();

        // Robots take no idempotency key: the group sees the announcement twice (ADR 0081). Then it is settled.
        Assert.Equal(2, robots.Requests(WeComPath).Count);
        await world.DeliverDueAsync();
        Assert.Equal(2, robots.Requests(WeComPath).Count);
        Assert.Equal(DeliveryStatus.Sent, (await DeliveryAsync(world, ChannelNames.WeCom)).Status);
    }

    private static async Task<Persistence.Entities.NotificationDelivery> DeliveryAsync(ChannelWorld world, string channel)
    {
        await using var db = await world.OpenDbAsync();
        return await db.NotificationDeliveries.AsNoTracking().SingleAsync(d => d.Channel == channel);
    }
}

public sealed class SqliteRobotDeliveryTests : RobotDeliveryScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlRobotDeliveryTests : RobotDeliveryScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync(migrated: true);
}
