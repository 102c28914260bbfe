using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// How many SQL commands a request sends, counted, never timed (issue 18): a change that adds a round trip to the vote,
/// the submission or the inbox fails here in CI, on a quiet or a busy machine alike. The budgets are the counts reached;
/// raise one only with a reason in docs/benchmarks.md ("Round trips per request"). Counted warm, as the load benchmark
/// measures: the caller has signed in, the community's directory and the definition's revision are cached.
/// </summary>
public abstract class RoundTripBudgetTests : IAsyncLifetime
{
    /// <summary>
    /// The most commands each request may send on this database. SQLite's provider sends every INSERT on its own (in
    /// process, no network), PostgreSQL's batches a step's inserts into one command, so the start's budgets differ. A vote
    /// writes through its own statements (StepWrites: the voter, the journal, the answer and the state in one command),
    /// so its budget is the same on both: the session check, the step's read, the step's write.
    /// </summary>
    protected abstract Budget Budgets { get; }

    private static readonly string[] Members = ["p-member-li", "p-member-zhao", "p-member-sun", "p-member-zhou"];

    private readonly SqlCommandLog _log = new();

    private HostFactory _factory = null!;

    private ApiDriver _api = null!;

    protected abstract Task<HostFactory> CreateFactoryAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services);

    public async ValueTask InitializeAsync()
    {
        _factory = await CreateFactoryAsync(_log.AddTo);
        _api = new ApiDriver(_factory);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await _factory.DisposeAsync();
        await DisposeDatabaseAsync();
    }

    /// <summary>Drops what <see cref="CreateFactoryAsync"/> created besides the host (a PostgreSQL database).</summary>
    protected virtual ValueTask DisposeDatabaseAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_vote_that_does_not_close_the_ballot_stays_within_its_round_trips()
    {
        var warm = await _api.AtBallotAsync();
        var counted = await _api.AtBallotAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("warm-up", Members[0], HttpMethod.Post, ApiDriver.Step(warm, "committee-ballot#2", "vote"), new { choice = "consent" })).Status);

        var reply = await SendAsync("vote", Members[1], HttpMethod.Post, ApiDriver.Step(counted, "committee-ballot#2", "vote"), new { choice = "object" });

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal("running", reply.Body["status"]!.GetValue<string>());
        AssertWithin("vote", Budgets.Vote, mustInclude: "UPDATE");
    }

    [Fact]
    public async Task A_submission_stays_within_its_round_trips()
    {
        await _api.SubmitAsync();

        var reply = await SendAsync("start", People.Liaison, HttpMethod.Post, "/api/instances", new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() });

        Assert.True(reply.Status == HttpStatusCode.Created, reply.ToString());
        AssertWithin("start", Budgets.Start, mustInclude: "INSERT");
    }

    [Fact]
    public async Task An_inbox_read_stays_within_its_round_trips()
    {
        await _api.AtBallotAsync();
        await _api.AtBallotAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("warm-up", Members[2], HttpMethod.Get, "/api/inbox")).Status);

        var reply = await SendAsync("inbox", Members[2], HttpMethod.Get, "/api/inbox");

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal(2, reply.Body.AsArray().Count);
        AssertWithin("inbox", Budgets.Inbox, mustInclude: "SELECT");
    }

    /// <summary>
    /// Fails above the budget, listing the commands; and fails when nothing of the expected kind was seen, so a broken
    /// interceptor cannot pass as a cheap request.
    /// </summary>
    private void AssertWithin(string tag, int budget, string mustInclude)
    {
        var commands = _log.For(tag);
        var described = $"{commands.Count} SQL commands for '{tag}' (budget {budget}):\n{_log.Describe(tag)}";
        TestContext.Current.TestOutputHelper?.WriteLine(described);
        Assert.Contains(commands, sql => sql.Contains(mustInclude, StringComparison.OrdinalIgnoreCase));
        Assert.True(commands.Count <= budget, described);
    }

    private async Task<Reply> SendAsync(string tag, string person, HttpMethod method, string path, object? body = null)
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _api.TokenAsync(person));
        request.Headers.Add(SqlCommandLog.TagHeader, tag);
        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            request.Content = JsonContent.Create(body ?? new { });
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonNode.Parse(text) : null, text, response);
    }
}

/// <summary>
/// Commands per request: a vote on an open ballot that does not close it, a submission, a member's inbox. A step reads
/// its instance once, with the caller's visibility, the answer stored under the idempotency key and the directory's
/// version stamp (decision 110) in the same query. A submission whose nominee is a registered in-service member reads
/// their record (registration, participation, served posts and hours: three queries, issue 15), one more than before; and
/// the annual feedback's evaluations and letters (issue 15, the feedback), one more again.
/// </summary>
public sealed record Budget(int Vote, int Start, int Inbox);

public sealed class RoundTripBudgetOnSqlite : RoundTripBudgetTests
{
    protected override Budget Budgets { get; } = new(Vote: 3, Start: 18, Inbox: 4);

    protected override Task<HostFactory> CreateFactoryAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services) =>
        Task.FromResult(new HostFactory(services: services));
}

public sealed class RoundTripBudgetOnPostgreSql : RoundTripBudgetTests
{
    protected override Budget Budgets { get; } = new(Vote: 3, Start: 8, Inbox: 4);

    private PostgreSqlTestDatabase? _database;

    protected override async Task<HostFactory> CreateFactoryAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services)
    {
        _database = await PostgreSqlTestDatabase.CreateAsync();
        return new HostFactory(postgreSql: _database, services: services);
    }

    protected override async ValueTask DisposeDatabaseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
