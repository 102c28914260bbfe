using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>Decision 146: on SQLite a vote reads and decides before its turn to write; only its writes take the turn.</summary>
public class StepSnapshotScenarios
{
    [Fact]
    public async Task A_refused_vote_is_answered_without_a_turn_and_an_accepted_one_waits_for_it()
    {
        await using var database = new SqliteTestDatabase();
        await using var host = await WorkflowTestHost.StartAsync(database);
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var eligible = await flow.EligibleAsync();
        var gate = host.Services.GetRequiredService<StepWriteGate>();

        var held = await gate.EnterAsync(TestContext.Current.CancellationToken);
        var refused = await flow.VoteAsync(id, ballot, eligible[0], "maybe").WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        var accepted = flow.VoteAsync(id, ballot, eligible[0], "consent");
        await Task.Delay(200, TestContext.Current.CancellationToken);
        var waitedForTheTurn = !accepted.IsCompleted;
        held.Dispose();

        Assert.False(refused.Succeeded);
        Assert.True(waitedForTheTurn);
        Assert.True((await accepted.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken)).Succeeded);
    }

    [Fact]
    public async Task Votes_decided_on_the_same_state_at_once_are_all_counted_once()
    {
        await using var database = new SqliteTestDatabase();
        await using var host = await WorkflowTestHost.StartAsync(database);
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var eligible = await flow.EligibleAsync();
        var voters = eligible.Take(6).ToList();

        // Six votes decided side by side on one version: each write after the first finds the version moved on and the
        // step runs again from its reads, so every vote lands on the state the one before it left.
        var results = await Task.WhenAll(voters.Select(voter => Task.Run(() => flow.VoteAsync(id, ballot, voter, "object"))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
        var live = (await host.Queries.GetAsync(id))!.State.Bookmarks.Single().Ballot!;
        Assert.Equal(6, live.TotalFor("object"));
        Assert.Equal(voters.Order(StringComparer.Ordinal), live.OpenVotes.Keys.Order(StringComparer.Ordinal));
    }
}
