using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Tests.Support;
using static WorkflowHost.Tests.Features.Accounts.SessionTests;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// Decision 173: a vote on host B reuses B's last full check of the session, verified by the authorization epoch in the
/// step's own read. Whatever ends the session or changes the caller on host A (a logout, a lock, a deactivation, a role
/// taken away) must make B's next vote fail with nothing written, and B's next vote after a new sign-in must work. Each
/// vote here would be accepted from B's stale check without the epoch's verification.
/// </summary>
public sealed class ReusedSessionCheckTests
{
    private const string Voter = "p-member-zhao";

    private const string Ballot = "committee-ballot#2";

    [Theory]
    [InlineData("logout", false)]
    [InlineData("lock", false)]
    [InlineData("deactivate", false)]
    [InlineData("logout", true)]
    [InlineData("lock", true)]
    [InlineData("deactivate", true)]
    public async Task A_vote_on_a_reused_check_of_a_session_ended_on_the_other_host_is_refused_and_writes_nothing(string change, bool onPostgreSql)
    {
        await using var hosts = await TwoHosts.StartAsync(onPostgreSql);
        var (a, b) = (hosts.First, hosts.Second);
        var setup = new ApiDriver(a);
        var warm = await setup.AtBallotAsync();
        var ballot = await setup.AtBallotAsync();

        // B checks the session in full once (and keeps the check); B's vote then reuses it, and counts.
        var tokens = await SignInAsync(b, Voter);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(b, tokens.Access));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(b, tokens.Access, ApiDriver.Step(warm, Ballot, "vote"), new { choice = "consent" }, Key()));

        var key = Key();
        var before = await RowsAsync(a, ballot, Voter, key);
        switch (change)
        {
            case "logout":
                Assert.Equal(HttpStatusCode.NoContent, await MeAsync(a, tokens.Access, HttpMethod.Post, "/api/account/logout"));
                break;
            case "lock":
                await SetLockoutAsync(a, Voter, a.Time.GetUtcNow().AddMinutes(15));
                break;
            default:
                var admin = await SignInAsync(a, People.Administrator);
                Assert.Equal(HttpStatusCode.NoContent, await MeAsync(a, admin.Access, HttpMethod.Post, $"/api/admin/accounts/{Voter}/deactivate"));
                break;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(b, tokens.Access, ApiDriver.Step(ballot, Ballot, "vote"), new { choice = "object" }, key));
        Assert.Equal(before, await RowsAsync(a, ballot, Voter, key));
        Assert.Equal(before, await RowsAsync(b, ballot, Voter, key));

        if (change == "deactivate")
        {
            // A deactivated account cannot sign in again: nothing more to show.
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(b, tokens.Access, ApiDriver.Step(ballot, Ballot, "vote"), new { choice = "object" }, key));
            return;
        }

        if (change == "lock")
        {
            await SetLockoutAsync(a, Voter, null);
        }

        var again = await SignInAsync(b, Voter);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(b, again.Access, ApiDriver.Step(ballot, Ballot, "vote"), new { choice = "object" }, key));
        Assert.NotEqual(before, await RowsAsync(a, ballot, Voter, key));
    }

    /// <summary>
    /// The secretary enters votes cast at a meeting (a secretary-only step) on host B, on B's kept check; host A takes the
    /// role away. B's next entry must be refused on the directory as it is now, not as B's kept check had it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_role_taken_away_on_the_other_host_is_never_authorized_from_a_reused_check(bool onPostgreSql)
    {
        await using var hosts = await TwoHosts.StartAsync(onPostgreSql);
        var (a, b) = (hosts.First, hosts.Second);
        var setup = new ApiDriver(a);
        var ballot = await setup.AtBallotAsync();
        var tokens = await SignInAsync(b, People.Secretary);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(b, tokens.Access));
        Assert.Equal(HttpStatusCode.OK, await OfflineVoteAsync(b, tokens.Access, ballot, "p-member-sun", Key()));

        var key = Key();
        var before = await RowsAsync(a, ballot, "p-member-zhou", key);
        await using (var db = await ContextAsync(a))
        {
            Assert.Equal(1, await db.PersonRoles.Where(r => r.PersonId == People.Secretary && r.Role == RoleNames.Secretary).ExecuteDeleteAsync());
        }

        var refused = await OfflineVoteAsync(b, tokens.Access, ballot, "p-member-zhou", key);
        Assert.True(refused is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, refused.ToString());
        Assert.Equal(before, await RowsAsync(a, ballot, "p-member-zhou", key));

        // The role given back on A: B's next entry sees it, on the same session.
        await using (var db = await ContextAsync(a))
        {
            db.PersonRoles.Add(new PersonRole { PersonId = People.Secretary, Role = RoleNames.Secretary });
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.OK, await OfflineVoteAsync(b, tokens.Access, ballot, "p-member-zhou", key));
        Assert.NotEqual(before, await RowsAsync(a, ballot, "p-member-zhou", key));
    }

    /// <summary>The epoch is raised by the database itself, by whatever changes a session, an account, a person or a role.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_change_a_session_check_reads_raises_the_epoch_and_a_vote_does_not(bool onPostgreSql)
    {
        await using var hosts = await TwoHosts.StartAsync(onPostgreSql);
        var a = hosts.First;
        var ballot = await new ApiDriver(a).AtBallotAsync();
        var tokens = await SignInAsync(a, Voter);

        var start = await EpochAsync(a);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(a, tokens.Access, ApiDriver.Step(ballot, Ballot, "vote"), new { choice = "consent" }, Key()));
        Assert.Equal(start, await EpochAsync(a));

        var account = await AccountIdAsync(a, Voter);
        await using var db = await ContextAsync(a);
        var changes = new Func<Task>[]
        {
            () => db.AccountSessions.Where(s => s.AccountId == account).ExecuteUpdateAsync(s => s.SetProperty(x => x.Refreshes, x => x.Refreshes + 1)),
            () => db.Accounts.Where(x => x.PersonId == Voter).ExecuteUpdateAsync(s => s.SetProperty(x => x.AccessFailedCount, 0)),
            () => db.People.Where(p => p.Id == Voter).ExecuteUpdateAsync(s => s.SetProperty(p => p.Language, p => p.Language)),
            () => db.PersonRoles.Where(r => r.PersonId == Voter).ExecuteDeleteAsync(),
        };
        var seen = start;
        foreach (var change in changes)
        {
            await change();
            var now = await EpochAsync(a);
            Assert.True(now > seen, $"The epoch stayed at {seen}.");
            seen = now;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_host_whose_database_lacks_an_epoch_trigger_reuses_no_session_check(bool onPostgreSql)
    {
        await using var hosts = await TwoHosts.StartAsync(onPostgreSql);
        var (a, b) = (hosts.First, hosts.Second);
        a.CreateClient().Dispose();
        var triggers = a.Services.GetRequiredService<AuthorizationEpochTriggers>();
        Assert.Equal(triggers.Expected, await triggers.CountAsync(CancellationToken.None));
        Assert.True(a.Services.GetRequiredService<SessionCheckCache>().Open);

        // A trigger lost (a table-only restore, a hand edit): that table's changes would no longer raise the epoch.
        await using (var db = await ContextAsync(a))
        {
            await db.Database.ExecuteSqlRawAsync(onPostgreSql
                ? "DROP TRIGGER \"AuthorizationEpoch_PersonRoles\" ON \"PersonRoles\""
                : "DROP TRIGGER \"AuthorizationEpoch_PersonRoles_DELETE\"");
        }

        b.CreateClient().Dispose();
        Assert.Equal(triggers.Expected - 1, await b.Services.GetRequiredService<AuthorizationEpochTriggers>().CountAsync(CancellationToken.None));
        Assert.False(b.Services.GetRequiredService<SessionCheckCache>().Open);

        // B checks the session in full on every request: its vote after a full check keeps working, on a fresh check.
        var ballot = await new ApiDriver(a).AtBallotAsync();
        var tokens = await SignInAsync(b, Voter);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(b, tokens.Access));
        var account = await AccountIdAsync(a, Voter);
        await using (var db = await ContextAsync(a))
        {
            foreach (var session in await db.AccountSessions.Where(x => x.AccountId == account).Select(x => x.Id).ToListAsync())
            {
                Assert.Null(b.Services.GetRequiredService<SessionCheckCache>().Find(session));
            }
        }

        Assert.Equal(HttpStatusCode.OK, await PostAsync(b, tokens.Access, ApiDriver.Step(ballot, Ballot, "vote"), new { choice = "consent" }, Key()));
    }

    private static string Key() => Guid.NewGuid().ToString();

    private static async Task<HttpStatusCode> PostAsync(HostFactory host, string accessToken, string path, object body, string key)
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static Task<HttpStatusCode> OfflineVoteAsync(HostFactory host, string accessToken, Guid ballot, string voter, string key) =>
        PostAsync(host, accessToken, ApiDriver.Step(ballot, Ballot, "offline-votes"), new { voter, choice = "consent", attestation = "党委会现场表决，记录人谢婷" }, key);

    private static async Task<WorkflowDbContext> ContextAsync(HostFactory host) =>
        await host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();

    private static async Task<long> EpochAsync(HostFactory host)
    {
        await using var db = await ContextAsync(host);
        return await db.AuthorizationEpochs.Where(e => e.Id == AuthorizationEpoch.RowId).Select(e => e.Value).SingleAsync();
    }

    /// <summary>What a vote would write, read back: the voter's row, the instance's journal and version, the answer under the key.</summary>
    private static async Task<(string Voter, int Events, int Version, int Answers)> RowsAsync(HostFactory host, Guid instance, string voter, string key)
    {
        await using var db = await ContextAsync(host);
        var status = await db.BallotVoters.Where(v => v.InstanceId == instance && v.BookmarkId == Ballot && v.PersonId == voter)
            .Select(v => v.Status + "/" + v.Choice).SingleAsync();
        var events = await db.JournalEvents.CountAsync(e => e.InstanceId == instance);
        var version = await db.Instances.Where(i => i.Id == instance).Select(i => i.Version).SingleAsync();
        var answers = await db.IdempotentCommands.CountAsync(c => c.Key.EndsWith("/" + key));
        return (status, events, version, answers);
    }

    /// <summary>Two hosts on one database, as two machines behind a balancer: a SQLite file, or a PostgreSQL database.</summary>
    private sealed class TwoHosts : IAsyncDisposable
    {
        private readonly string? _folder;
        private readonly PostgreSqlTestDatabase? _database;

        private TwoHosts(HostFactory first, HostFactory second, string? folder, PostgreSqlTestDatabase? database)
        {
            (First, Second, _folder, _database) = (first, second, folder, database);
        }

        public HostFactory First { get; }

        public HostFactory Second { get; }

        public static async Task<TwoHosts> StartAsync(bool onPostgreSql)
        {
            if (onPostgreSql)
            {
                var database = await PostgreSqlTestDatabase.CreateAsync();
                return new TwoHosts(new HostFactory(postgreSql: database), new HostFactory(postgreSql: database), null, database);
            }

            var folder = Directory.CreateTempSubdirectory("workflowhost-shared-").FullName;
            var settings = new Dictionary<string, string?> { ["Persistence:DataFolder"] = folder };
            return new TwoHosts(new HostFactory(settings), new HostFactory(settings), folder, null);
        }

        public async ValueTask DisposeAsync()
        {
            await First.DisposeAsync();
            await Second.DisposeAsync();
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }

            if (_folder is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(_folder, recursive: true);
            }
        }
    }
}
