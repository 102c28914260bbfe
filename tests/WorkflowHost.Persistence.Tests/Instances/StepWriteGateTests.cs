using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

public class StepWriteGateTests
{
    private static readonly PersistenceOptions Sqlite = new() { Provider = DatabaseProvider.Sqlite };
    private static readonly PersistenceOptions PostgreSql = new() { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = "Host=unused" };

    [Fact]
    public async Task On_SQLite_a_second_step_waits_until_the_first_has_finished_writing()
    {
        var gate = new StepWriteGate(Sqlite);
        var first = await gate.EnterAsync(TestContext.Current.CancellationToken);

        var second = gate.EnterAsync(TestContext.Current.CancellationToken).AsTask();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Dispose();
        Assert.True(gate.Serializes);
    }

    [Fact]
    public async Task On_PostgreSQL_steps_write_side_by_side()
    {
        var gate = new StepWriteGate(PostgreSql);

        var first = await gate.EnterAsync(TestContext.Current.CancellationToken);
        var second = gate.EnterAsync(TestContext.Current.CancellationToken);

        Assert.True(second.IsCompleted);
        Assert.False(gate.Serializes);
        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task A_step_that_gives_up_waiting_does_not_keep_a_turn()
    {
        var gate = new StepWriteGate(Sqlite);
        var first = await gate.EnterAsync(TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();

        var abandoned = gate.EnterAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        first.Dispose();
        var next = gate.EnterAsync(TestContext.Current.CancellationToken);
        Assert.True(next.IsCompleted);
        (await next).Dispose();
    }

    [Fact]
    public async Task Refused_and_accepted_steps_on_SQLite_each_give_their_turn_back()
    {
        await using var database = new SqliteTestDatabase();
        await using var host = await WorkflowTestHost.StartAsync(database);
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var eligible = await flow.EligibleAsync();

        // Each of these would wait out StepWriteGate.MaxWait and fail if an earlier step had kept its turn.
        Assert.False((await flow.VoteAsync(id, ballot, eligible[0], "maybe")).Succeeded);
        Assert.True((await flow.VoteAsync(id, ballot, eligible[0], "consent")).Succeeded);
        Assert.False((await flow.VoteAsync(id, ballot, eligible[0], "consent")).Succeeded);
        var concurrent = await Task.WhenAll(eligible.Skip(1).Take(5).Select(voter => Task.Run(() => flow.VoteAsync(id, ballot, voter, "object"))));

        Assert.All(concurrent, r => Assert.True(r.Succeeded, r.Message));
        var snapshot = await host.Queries.GetAsync(id);
        var live = snapshot!.State.Bookmarks.Single().Ballot!;
        Assert.Equal(1, live.TotalFor("consent"));
        Assert.Equal(5, live.TotalFor("object"));
    }
}
