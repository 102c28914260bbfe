using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

[CollectionDefinition(nameof(AllocationBudgetTests), DisableParallelization = true)]
public sealed class AllocationBudgetsAlone;

/// <summary>
/// The bytes a vote allocates, counted, never timed (issue 18): the whole process's allocations over a run of votes that
/// do not close their ballots, divided by the votes. In process, so the test's own client and the in-memory server's
/// streams are counted too, and the host's background work while the votes run; alone in its collection, so no other
/// test's allocations are. The bound is about 15 % above the most expected (108–123 KB on either database in Debug,
/// docs/benchmarks.md section 15b, less the 8–10 KB of section 16b; 105.3 KB seen after it): it catches a change that
/// makes every vote dearer, not noise. Lower it when a change cuts a vote's bytes. SQLite's, after decision 183: 59.6–71.7
/// KB in five runs (Debug, on a busy machine), so 84 KB; a single cut of a few KB is held by its own read-level test
/// (decision 182's and 183's), since this whole-process figure moves by several KB between runs.
/// </summary>
public abstract class AllocationBudgetTests : IAsyncLifetime
{
    private static readonly string[] Voters = ["p-member-li", "p-member-zhao", "p-member-sun"];

    private const int CountedBallots = 6;

    private CountedHost _host = null!;

    /// <summary>The most a vote may allocate on this database, in bytes, the test's client included.</summary>
    protected abstract long BytesPerVote { get; }

    /// <summary>True for the PostgreSQL subclass: the host gets a database of its own on the test server.</summary>
    protected abstract bool OnPostgreSql { get; }

    private ApiDriver Api => _host.Api;

    // No command log: its interceptor's allocations would be counted as the votes'.
    public async ValueTask InitializeAsync() => _host = await CountedHost.StartAsync(OnPostgreSql, countCommands: false);

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_vote_allocates_within_its_budget()
    {
        // Warm: tokens issued and their tickets cached, the directory and the definition's revision read, the code compiled.
        var warm = await Api.AtBallotAsync();
        foreach (var voter in Voters)
        {
            await VoteAsync(warm, voter);
        }

        var ballots = new List<Guid>();
        for (var i = 0; i < CountedBallots; i++)
        {
            ballots.Add(await Api.AtBallotAsync());
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        foreach (var ballot in ballots)
        {
            foreach (var voter in Voters)
            {
                await VoteAsync(ballot, voter);
            }
        }

        var perVote = (GC.GetTotalAllocatedBytes(precise: true) - before) / (CountedBallots * Voters.Length);

        TestContext.Current.TestOutputHelper?.WriteLine($"{perVote / 1024.0:F1} KB allocated per vote (budget {BytesPerVote / 1024.0:F0} KB)");
        Assert.True(perVote <= BytesPerVote, $"A vote allocated {perVote / 1024.0:F1} KB, above its budget of {BytesPerVote / 1024.0:F0} KB.");
    }

    /// <summary>One vote as the load bench sends it: a bearer token, an idempotency key, a choice; it must be counted.</summary>
    private async Task VoteAsync(Guid ballot, string voter)
    {
        using var client = _host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiDriver.Step(ballot, "committee-ballot#2", "vote"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Api.TokenAsync(voter));
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Content = JsonContent.Create(new { choice = "consent" });
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{voter} on {ballot}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

[Collection(nameof(AllocationBudgetTests))]
public sealed class AllocationBudgetOnSqlite : AllocationBudgetTests
{
    protected override long BytesPerVote => 84 * 1024;

    protected override bool OnPostgreSql => false;
}

[Collection(nameof(AllocationBudgetTests))]
public sealed class AllocationBudgetOnPostgreSql : AllocationBudgetTests
{
    protected override long BytesPerVote => 130 * 1024;

    protected override bool OnPostgreSql => true;
}
