using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Journal;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// The host on a PostgreSQL cluster of its own, which the test stops while members are voting and starts again: every
/// request meanwhile gets a 503 that says why (ProblemDetails for the API, a page for browsers, /health naming the
/// database), no step is half-written, and the host, Hangfire included, carries on by itself once the database is back.
/// </summary>
public sealed class DatabaseUnavailableTests
{
    private const string Ballot = "committee-ballot#2";
    // Hangfire backs off n² seconds after its n-th failed poll, so after an outage it may idle a while before polling again.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_postgresql_outage_answers_503_writes_nothing_half_and_the_host_recovers_by_itself()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var cluster = await PrivatePostgreSqlCluster.StartAsync();
        var connectionString = await cluster.CreateDatabaseAsync("workflowhost_outage");
        await using var factory = new HostFactory(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["Persistence:PostgreSqlConnectionString"] = connectionString,
            ["Scheduling:SweepCron"] = "*/2 * * * * *", // the sweep is how a timer whose job failed in the outage fires: every 2 s here
            ["Scheduling:SchedulePollingInterval"] = "00:00:00.500",
            ["Scheduling:QueuePollInterval"] = "00:00:00.500",
        });
        var api = new ApiDriver(factory);
        var consultation = await api.AtBallotAsync();
        var voters = await PendingVotersAsync(factory, consultation);
        var (duringOutage, afterwards) = (voters.Take(4).ToList(), voters.Skip(4).ToList());
        foreach (var person in duringOutage.Append(afterwards[0]).Append(People.Member).Append(People.Liaison).Distinct())
        {
            await api.TokenAsync(person); // sign-in needs the database; tokens are checked without it
        }

        var timerBefore = await StartTimerAsync(api);

        // Votes in flight while the server goes down: each is committed whole or not at all.
        var votes = duringOutage.Select(member => api.PostAsync(member, ApiDriver.Step(consultation, Ballot, "vote"), new { choice = "consent" })).ToList();
        await cluster.StopServerAsync();
        var inFlight = (await Task.WhenAll(votes)).Zip(duringOutage, (reply, member) => (member, reply)).ToList();
        Assert.All(inFlight, v => Assert.True(v.reply.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, v.reply.ToString()));

        // While it is down: the API, the pages and /health say so.
        var inbox = await api.GetAsync(People.Member, "/api/inbox");
        AssertUnavailable(inbox);
        AssertUnavailable(await api.PostAsync(afterwards[0], ApiDriver.Step(consultation, Ballot, "vote"), new { choice = "consent" }));
        AssertUnavailable(await api.PostAsync(People.Liaison, "/api/instances", new { process = "test-timer", input = new { title = "停机" } }));
        Assert.Contains("Idempotency-Key", inbox.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var browser = factory.CreateClient();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/inbox");
        page.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await api.TokenAsync(People.Member));
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        using var pageReply = await browser.SendAsync(page, cancel);
        var html = await pageReply.Content.ReadAsStringAsync(cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pageReply.StatusCode);
        Assert.Equal("text/html", pageReply.Content.Headers.ContentType?.MediaType);
        Assert.Contains("数据库暂时无法访问", html, StringComparison.Ordinal);
        Assert.NotNull(pageReply.Headers.RetryAfter);

        using var health = await browser.GetAsync("/health", cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("database: Unhealthy", await health.Content.ReadAsStringAsync(cancel), StringComparison.Ordinal);

        // The first timer falls due in the outage: its job runs and cannot reach the database.
        factory.Time.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(2), cancel);

        // Back: no restart of the host, it answers again by itself.
        await cluster.StartServerAsync();
        Assert.True(await EventuallyAsync(async () => (await browser.GetStringAsync("/health", cancel)) == "Healthy"), "/health did not recover");
        Assert.True(await EventuallyAsync(async () => (await api.GetAsync(People.Member, "/api/inbox")).Status == HttpStatusCode.OK), "the API did not recover");

        // Each vote sent during the outage is there exactly when it was answered 200; sent again it is counted at most once.
        foreach (var (member, reply) in inFlight)
        {
            var again = await api.PostAsync(member, ApiDriver.Step(consultation, Ballot, "vote"), new { choice = "consent" });
            Assert.True(reply.Status == HttpStatusCode.OK ? again.Status == HttpStatusCode.Conflict : again.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{member}: {reply} then {again}");
        }

        var ballot = (await api.InstanceAsync(consultation))["currentSteps"]![0]!["ballot"]!;
        Assert.Equal(duringOutage.Count, ballot["voted"]!.GetValue<int>());
        Assert.Equal(duringOutage.Count, ballot["totals"]!["consent"]!.GetValue<int>());

        // Hangfire recovered too: a timer started now fires through its job, and the one that failed fires through the sweep.
        var timerAfter = await StartTimerAsync(api);
        factory.Time.Advance(TimeSpan.FromMinutes(2));
        var queries = factory.Services.GetRequiredService<WorkflowQueries>();
        foreach (var timer in new[] { timerBefore, timerAfter })
        {
            Assert.True(await EventuallyAsync(async () => (await queries.GetAsync(timer))!.State.Status == InstanceStatus.Completed),
                $"timer instance {timer} ({(timer == timerBefore ? "due in the outage" : "started after it")}) did not complete. Scheduler log:\n"
                + string.Join('\n', factory.Logs.Where(l => l.Contains("Hangfire", StringComparison.Ordinal) || l.Contains("Timer", StringComparison.Ordinal)).TakeLast(30)));
            Assert.Single(await queries.JournalAsync(timer), e => e.Type == "TimerFired");
        }

        // Nothing half-written: every journal verifies, and the ballot's rows, journal and totals agree.
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync(cancel);
        var votedRows = await db.BallotVoters.CountAsync(v => v.InstanceId == consultation && v.Status == VoterStatus.Voted, cancel);
        var voteEvents = await db.JournalEvents.CountAsync(e => e.InstanceId == consultation && e.Type == "VoteCast", cancel);
        Assert.Equal((duringOutage.Count, duringOutage.Count), (votedRows, voteEvents));
        var audit = await JournalAudit.VerifyAllAsync(factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(), factory.Services.GetRequiredService<WorkflowHost.Persistence.Sealing.StoreKeys>(), cancel);
        Assert.True(audit.AllIntact, string.Join("; ", audit.Broken.Select(b => $"{b.InstanceId}: {b.Verification.Problem}")));
        // Besides the seeds' own (last year's in-service review runs through its process when the seeds load).
        var seeded = await db.Instances.CountAsync(i => i.DefinitionId == "in-service-annual-feedback", cancel);
        Assert.Equal(3 + seeded, audit.Instances);
        Assert.Contains(factory.Logs, line => line.Contains("the database is unavailable", StringComparison.Ordinal));
    }

    private static void AssertUnavailable(Reply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.ServiceUnavailable, reply.ToString());
        Assert.Equal("application/problem+json", reply.Message.Content.Headers.ContentType?.MediaType);
        Assert.Equal("databaseUnavailable", reply.Body["code"]!.GetValue<string>());
        Assert.Equal("The database is unavailable.", reply.Body["title"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(10), reply.Message.Headers.RetryAfter?.Delta);
    }

    private static async Task<Guid> StartTimerAsync(ApiDriver api)
    {
        var reply = await api.PostAsync(People.Liaison, "/api/instances", new { process = "test-timer", input = new JsonObject { ["title"] = "等待" } });
        Assert.True(reply.Status == HttpStatusCode.Created, reply.ToString());
        return reply.Body["instanceId"]!.GetValue<Guid>();
    }

    private static async Task<IReadOnlyList<string>> PendingVotersAsync(HostFactory factory, Guid instance) =>
        [.. (await factory.Services.GetRequiredService<WorkflowQueries>().VotersAsync(instance, Ballot))
            .Where(v => v.Status == VoterStatus.Pending).Select(v => v.PersonId).Order(StringComparer.Ordinal)];

    /// <summary>Polls in real time (the host's recovery and Hangfire's polling are real time) until the condition holds.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // A 503 read as a string; try again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return false;
    }
}
