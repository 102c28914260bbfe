using WorkflowHost.Persistence.Entities;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Instances;
using static WorkflowHost.Jobs.Tests.Notifications.Channels.ChannelTestSetup;

namespace WorkflowHost.Jobs.Tests.Notifications.Channels;

/// <summary>
/// The leak scan (ADR 0055's swapped worlds) over the new channels. Two worlds run the same secret ballot, except that
/// two members swap their choices and reasons. Everything the channels send (robots, SMS) must be the same in both: then
/// nothing in it depends on who chose what. And nothing sent, logged or stored holds a key, a signing secret or a full
/// mobile number (except the number in the SMS request itself, which the gateway needs).
/// </summary>
public abstract class ChannelLeakScanScenarios
{
    private const string ChenReason = "陈浩的理由：停车位应先给老人";
    private const string FengReason = "冯兰的理由：应按登记先后";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task Nothing_the_channels_send_depends_on_a_secret_ballot_choice_and_no_key_or_number_leaks()
    {
        var (aRequests, aLogs, aStored) = await RunWorldAsync(swap: false);
        var (bRequests, bLogs, bStored) = await RunWorldAsync(swap: true);

        Assert.NotEmpty(aRequests);
        Assert.Contains(aRequests, r => r.Contains("已决定", StringComparison.Ordinal)); // the decision was announced
        Assert.Equal(aRequests, bRequests);

        foreach (var text in aRequests.Concat(bRequests).Concat([aLogs, bLogs, aStored, bStored]))
        {
            Assert.DoesNotContain(ChenReason, text, StringComparison.Ordinal);
            Assert.DoesNotContain(FengReason, text, StringComparison.Ordinal);
            Assert.DoesNotContain("aye-secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("nay-secret", text, StringComparison.Ordinal);
        }

        foreach (var text in new[] { aLogs, bLogs, aStored, bStored })
        {
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(Phone, text, StringComparison.Ordinal);
        }

        foreach (var request in aRequests.Concat(bRequests))
        {
            Assert.DoesNotContain(DingTalkSecret, request, StringComparison.Ordinal);
            Assert.DoesNotContain(FeishuSecret, request, StringComparison.Ordinal);
            Assert.DoesNotContain(SmsSecret, request, StringComparison.Ordinal);
            if (!request.StartsWith(SmsPath, StringComparison.Ordinal))
            {
                Assert.DoesNotContain(Phone, request, StringComparison.Ordinal);
            }
        }

        Assert.Contains(aRequests, r => r.StartsWith(SmsPath, StringComparison.Ordinal) && r.Contains(Phone, StringComparison.Ordinal));
    }

    /// <summary>
    /// One world: the ballot opens, Zheng gets an SMS reminder, everyone votes and the decision is announced. DingTalk
    /// answers 500 first and the SMS gateway throttles once (quoting the number), so failures are logged and stored too. Returns every request
    /// (path and body, signatures and timestamps taken out), every log line, and every text the outbox stored.
    /// </summary>
    private async Task<(IReadOnlyList<string> Requests, string Logs, string Stored)> RunWorldAsync(bool swap)
    {
        using var robots = FakePlatform.Start()
            .Answer(WeComPath, 200, Ok).Answer(FeishuPath, 200, FeishuOk)
            .AnswerInTurn(DingTalkPath, (500, $"upstream error for {DingTalkToken}", null), (200, Ok, null));
        using var gateway = FakePlatform.Start().AnswerInTurn(SmsPath,
            (429, $$"""{"code":"THROTTLED","message":"too many messages to {{Phone}}"}""", null),
            (200, """{"code":"OK","messageId":"gw-1","status":"delivered"}""", null));
        await using var database = await CreateDatabaseAsync();
        var options = Options(robots, gateway);
        options.MaxAttempts = 6;
        await using var world = await ChannelWorld.StartAsync(database, options);
        await world.SetPhoneAsync("p-member-zheng", Phone);
        await world.Outbox.SavePreferenceAsync("p-member-zheng", [ChannelNames.Sms], digest: false);
        var id = await world.StartBallotAsync();
        var ballot = await world.BallotOfAsync(id);
        await world.DeliverDueAsync();
        world.Time.Advance(TimeSpan.FromSeconds(600));
        await world.FireDueTimersAsync();
        await world.DeliverDueAsync();
        world.Time.Advance(TimeSpan.FromMinutes(15));
        await world.DeliverDueAsync();

        await using (var db = await world.OpenDbAsync())
        {
            var voters = await db.BallotVoters.Where(v => v.InstanceId == id && v.BookmarkId == ballot && v.Status == VoterStatus.Pending)
                .Select(v => v.PersonId).OrderBy(p => p).ToListAsync();
            foreach (var voter in voters)
            {
                var (choice, reason) = voter switch
                {
                    "p-member-chen" => swap ? ("nay-secret", FengReason) : ("aye-secret", ChenReason),
                    "p-member-feng" => swap ? ("aye-secret", ChenReason) : ("nay-secret", FengReason),
                    _ => ("aye-secret", (string?)null),
                };
                await world.VoteAsync(id, ballot, voter, choice, reason);
            }
        }

        await world.DeliverDueAsync();
        world.Time.Advance(TimeSpan.FromMinutes(15));
        await world.DeliverDueAsync();

        var requests = robots.Requests().Concat(gateway.Requests()).Select(Normalise).ToList();
        await using var read = await world.OpenDbAsync();
        var stored = string.Join("\n", await read.NotificationDeliveries.Select(d => d.Channel + " " + d.Status + " " + d.Address + " " + d.LastError + " " + d.ExternalId + " " + d.Report).ToListAsync())
            + string.Join("\n", await read.Notifications.Select(n => n.DataJson).ToListAsync())
            + string.Join("\n", await read.ChannelHealth.Select(h => h.LastError).ToListAsync())
            + string.Join("\n", await read.CommunityChannels.Select(c => c.Hint).ToListAsync());
        Assert.True(await read.NotificationDeliveries.AllAsync(d => d.Status == DeliveryStatus.Sent || d.Channel == ChannelNames.Email),
            "every channel delivery went out in the end");
        return (requests, world.Logs.All, stored);
    }

    /// <summary>A request without what differs by nature between two runs (the signature's timestamp and nonce, the notification ids).</summary>
    private static string Normalise(Received request)
    {
        var body = JsonNode.Parse(request.Body) as JsonObject ?? [];
        body.Remove("timestamp");
        body.Remove("sign");
        body.Remove("requestId");
        return $"{request.Path} {body.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })}";
    }
}

public sealed class SqliteChannelLeakScanTests : ChannelLeakScanScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlChannelLeakScanTests : ChannelLeakScanScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync(migrated: true);
}
