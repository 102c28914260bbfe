using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// A consultation from submission to a verified reply, through the API only, as its users would do it: the office returns
/// the file, the unit amends and resubmits, the secretary extends the deadline and enters a vote cast at a meeting, a
/// member recuses, others comment and vote, the reply is issued and verified. Run on SQLite and on PostgreSQL.
/// </summary>
public abstract class ApiFlowScenarios
{
    protected abstract Task<HostFactory> CreateFactoryAsync();

    [Fact]
    public async Task A_consultation_from_submission_to_a_verified_reply()
    {
        await using var factory = await CreateFactoryAsync();
        var api = new ApiDriver(factory);

        var submitted = await api.PostAsync(People.Liaison, "/api/instances",
            new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() }, idempotencyKey: "submit-1");
        Assert.Equal(HttpStatusCode.Created, submitted.Status);
        var id = submitted.Body["instanceId"]!.GetValue<Guid>();

        // The office returns the file for amendment.
        var officeWork = await InboxItemAsync(api, People.Office, id);
        Assert.Equal("office-check", officeWork["activity"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(People.Office, officeWork["act"]!.GetValue<string>(), new { outcome = "return", comment = "请补充现任职务证明。" })).Status);

        // The unit amends one field and resubmits; the office accepts.
        var amend = await InboxItemAsync(api, People.Liaison, id);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(People.Liaison, amend["act"]!.GetValue<string>(),
            new { outcome = "resubmit", comment = "已补充", input = new { nomineePost = "科长（主持工作）" } })).Status);
        officeWork = await InboxItemAsync(api, People.Office, id);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(People.Office, officeWork["act"]!.GetValue<string>(), new { outcome = "accept" })).Status);

        var instance = await api.InstanceAsync(id);
        Assert.Equal("科长（主持工作）", instance["input"]!["nomineePost"]!.GetValue<string>());
        var ballot = instance["currentSteps"]![0]!;
        var ballotId = ballot["stepId"]!.GetValue<string>();
        Assert.Equal("ballot", ballot["kind"]!.GetValue<string>());
        Assert.Equal(14, ballot["ballot"]!["voters"]!.GetValue<int>());
        Assert.Equal(13, ballot["ballot"]!["eligible"]!.GetValue<int>());
        var due = ballot["dueAt"]!.GetValue<DateTimeOffset>();

        // The secretary moves the deadline two working days later.
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(People.Secretary, ApiDriver.Step(id, ballotId, "deadline"), new { extendByWorkingDays = 2, reason = "部分委员出差" })).Status);
        var moved = (await api.InstanceAsync(id))["currentSteps"]![0]!["dueAt"]!.GetValue<DateTimeOffset>();
        Assert.True(moved > due.AddDays(1.5), $"{due} -> {moved}");
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            var timers = await db.Timers.Where(t => t.InstanceId == id && t.BookmarkId == ballotId).ToListAsync();
            Assert.Equal("cancelled", timers.Single(t => t.TimerId.EndsWith(":due", StringComparison.Ordinal)).Status);
            Assert.Equal(moved, timers.Single(t => t.Status == "pending" && t.Purpose == "deadline").DueAt);
        }

        // Discussion, a recusal, a vote cast at a meeting, then online votes until the ballot is decided.
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(People.Member, $"/api/instances/{id}/comments", new { text = "该同志在社区表现突出。", step = ballotId })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("p-member-zhang", ApiDriver.Step(id, ballotId, "recuse"), new { reason = "与被推荐人系亲属" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(People.Secretary, ApiDriver.Step(id, ballotId, "offline-votes"),
            new { voter = "p-member-chen", choice = "consent", attestation = "11月27日党委会现场表决，记录人谢婷" })).Status);
        Assert.Empty((await api.GetAsync("p-member-chen", "/api/inbox")).Body.AsArray());

        string[] voters = [People.Member, People.Secretary, "p-member-zhao", "p-member-sun", "p-member-zhou", "p-member-wu"];
        foreach (var voter in voters)
        {
            var work = await InboxItemAsync(api, voter, id);
            var vote = await api.PostAsync(voter, work["act"]!.GetValue<string>(), new { choice = "consent", reason = "同意" });
            Assert.Equal(HttpStatusCode.OK, vote.Status);
        }

        instance = await api.InstanceAsync(id, People.Liaison);
        Assert.Equal("completed", instance["status"]!.GetValue<string>());
        Assert.Equal("consent", instance["result"]!.GetValue<string>());
        var closed = instance["pastSteps"]!.AsArray().Last()!["ballot"]!;
        Assert.Equal(7, closed["totals"]!["consent"]!.GetValue<int>());
        Assert.Equal(12, closed["eligible"]!.GetValue<int>());
        Assert.Null(closed["voterList"]); // a unit sees the result, not the roll call

        // The reply: a number and a code anyone can check, and nothing else.
        var reply = instance["documents"]!.AsArray().Single()!;
        var verify = await api.GetAsync(null, reply["verify"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, verify.Status);
        Assert.Equal("consent", verify.Body["outcome"]!.GetValue<string>());
        Assert.Equal(reply["number"]!.GetValue<string>(), verify.Body["number"]!.GetValue<string>());
        Assert.DoesNotContain("周立新", verify.Text, StringComparison.Ordinal);
        var forged = await api.GetAsync(null, $"/api/replies/verify?number={reply["number"]}&code=AAAA-BBBB-CCCC-DDDD");
        Assert.Equal(HttpStatusCode.NotFound, forged.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(null, $"/api/replies/verify?number=1999-0001&code={reply["verificationCode"]}")).Status);

        // The record: intact, with the discussion, the extension and the attested vote; a unit sees no roll call.
        var timeline = (await api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Body["events"]!.AsArray();
        var types = timeline.Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("CommentAdded", types);
        Assert.Contains("DeadlineExtended", types);
        Assert.Contains("Recused", types);
        Assert.Contains(timeline, e => e!["data"]!["attestation"]?.GetValue<string>()?.Contains("现场表决", StringComparison.Ordinal) == true);
        Assert.True((await api.GetAsync(People.Liaison, $"/api/instances/{id}/timeline/verification")).Body["intact"]!.GetValue<bool>());
        var unitsView = (await api.GetAsync(People.Liaison, $"/api/instances/{id}/timeline")).Body["events"]!.AsArray();
        Assert.DoesNotContain(unitsView, e => e!["type"]!.GetValue<string>() == "VoteCast" && e["data"]!["voter"] is not null);

        // Lists, filters and what each has done.
        Assert.Contains(await ListAsync(api, People.Liaison, "state=completed&process=promotion-consultation&unit=unit-housing-bureau&from=2026-11-27&to=2026-11-27"), i => i == id);
        Assert.DoesNotContain(await ListAsync(api, People.Liaison, "state=running"), i => i == id);
        Assert.DoesNotContain(await ListAsync(api, People.Liaison, "from=2026-11-28"), i => i == id);
        var done = (await api.GetAsync(People.Liaison, "/api/inbox/done")).Body["items"]!.AsArray();
        Assert.Contains(done, d => d!["activity"]!.GetValue<string>() == "amend");
        var memberDone = (await api.GetAsync(People.Member, "/api/inbox/done")).Body["items"]!.AsArray();
        Assert.True(memberDone.Any(d => d!["kind"]!.GetValue<string>() == "ballot" && d["status"]?.GetValue<string>() == "voted"), memberDone.ToJsonString());
    }

    [Fact]
    public async Task Racing_requests_end_in_one_consistent_state_and_the_loser_gets_409()
    {
        await using var factory = await CreateFactoryAsync();
        var api = new ApiDriver(factory);
        string[] members = [People.Member, "p-member-zhang", "p-member-chen", "p-member-zhao", "p-member-sun", "p-member-zhou", "p-member-wu", People.Secretary];
        foreach (var member in members)
        {
            await api.TokenAsync(member);
        }

        // Two votes of one member at once: counted once.
        var id = await api.AtBallotAsync();
        var path = ApiDriver.Step(id, "committee-ballot#2", "vote");
        var twice = await Task.WhenAll(api.PostAsync(People.Member, path, new { choice = "consent" }), api.PostAsync(People.Member, path, new { choice = "consent" }));
        Assert.True(twice.Select(r => r.Status).Order().SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]), Errors(factory));
        Assert.Equal(1, (await api.InstanceAsync(id))["currentSteps"]![0]!["ballot"]!["voted"]!.GetValue<int>());

        // Six other members at once: all counted (the engine re-runs the losers of the optimistic race).
        var six = await Task.WhenAll(members[1..7].Select(m => api.PostAsync(m, path, new { choice = "consent" })));
        Assert.All(six, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var instance = await api.InstanceAsync(id);
        Assert.Equal("completed", instance["status"]!.GetValue<string>());
        Assert.Equal(7, instance["pastSteps"]![1]!["ballot"]!["totals"]!["consent"]!.GetValue<int>());

        // The deciding vote against a withdrawal: one wins, the other is told the instance has ended.
        var other = await api.AtBallotAsync();
        var otherPath = ApiDriver.Step(other, "committee-ballot#2", "vote");
        foreach (var member in members[..6])
        {
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(member, otherPath, new { choice = "consent" })).Status);
        }

        var race = await Task.WhenAll(
            api.PostAsync(members[6], otherPath, new { choice = "consent" }),
            api.PostAsync(People.Liaison, $"/api/instances/{other}/withdraw", new { reason = "撤回" }));
        Assert.True(race.Select(r => r.Status).Order().SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]), Errors(factory));
        Assert.Equal("instanceEnded", race.Single(r => r.Status == HttpStatusCode.Conflict).Body["code"]!.GetValue<string>());
        var final = await api.InstanceAsync(other);
        Assert.Equal(race[0].Status == HttpStatusCode.OK ? "completed" : "withdrawn", final["status"]!.GetValue<string>());
        Assert.True((await api.GetAsync(People.Secretary, $"/api/instances/{other}/timeline/verification")).Body["intact"]!.GetValue<bool>());
    }

    private static string Errors(HostFactory factory) =>
        string.Join("\n", factory.Logs.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)).Take(3));

    private static async Task<JsonNode> InboxItemAsync(ApiDriver api, string person, Guid id)
    {
        var inbox = await api.GetAsync(person, "/api/inbox");
        Assert.True(inbox.Status == HttpStatusCode.OK, inbox.ToString());
        return inbox.Body.AsArray().Single(i => i!["instanceId"]!.GetValue<Guid>() == id)!;
    }

    private static async Task<List<Guid>> ListAsync(ApiDriver api, string person, string query)
    {
        var reply = await api.GetAsync(person, "/api/instances?" + query);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return [.. reply.Body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())];
    }
}

public sealed class ApiFlowOnSqlite : ApiFlowScenarios
{
    protected override Task<HostFactory> CreateFactoryAsync() => Task.FromResult(new HostFactory());
}

public sealed class ApiFlowOnPostgreSql : ApiFlowScenarios, IAsyncDisposable
{
    private PostgreSqlTestDatabase? _database;

    protected override async Task<HostFactory> CreateFactoryAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync();
        return new HostFactory(postgreSql: _database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
