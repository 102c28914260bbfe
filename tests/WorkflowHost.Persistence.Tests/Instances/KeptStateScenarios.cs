using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// The host keeps the state each committed step wrote (decision 170): the next step on the instance reuses it only when
/// the row holds that version and exactly those bytes, takes it so that no other step holds it, and nothing is kept of
/// a step that did not commit.
/// </summary>
public abstract class KeptStateScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task The_step_after_a_commit_reuses_the_state_the_commit_wrote()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var kept = host.Services.GetRequiredService<KeptStates>();
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        Assert.Equal(1, kept.VersionKept(id));
        var ballot = await flow.AcceptAsync(id);
        Assert.Equal(2, kept.VersionKept(id));
        var before = (kept.Reused, kept.Parsed);

        Assert.True((await flow.VoteAsync(id, ballot, (await flow.EligibleAsync())[0], "consent")).Succeeded);

        Assert.Equal((before.Reused + 1, before.Parsed), (kept.Reused, kept.Parsed));
        Assert.Equal(3, kept.VersionKept(id));
    }

    [Fact]
    public async Task An_instance_that_ended_keeps_nothing_in_the_host()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var kept = host.Services.GetRequiredService<KeptStates>();
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        await flow.AcceptAsync(id);
        Assert.Equal(2, kept.VersionKept(id));

        var withdrawn = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new Withdraw(Consultation.Liaison, "人选另有安排")));

        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        Assert.Equal(InstanceStatus.Withdrawn, withdrawn.Status);
        Assert.Null(kept.VersionKept(id));
    }

    [Fact]
    public async Task A_row_another_host_wrote_is_parsed_and_the_step_sees_that_write()
    {
        await using var first = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        await using var second = await WorkflowTestHost.StartAsync(first.Database);
        var kept = first.Services.GetRequiredService<KeptStates>();
        var flow = new Consultation(first);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voters = await flow.EligibleAsync();

        // The second host votes: the first still keeps the version before it.
        Assert.True((await new Consultation(second).VoteAsync(id, ballot, voters[0], "consent")).Succeeded);
        Assert.Equal(2, kept.VersionKept(id));
        var before = (kept.Reused, kept.Parsed);

        // The same voter again through the first host: refused, because it read the second host's write, not its own state.
        var again = await flow.VoteAsync(id, ballot, voters[0], "object");
        Assert.False(again.Succeeded);
        Assert.Equal((before.Reused, before.Parsed + 1), (kept.Reused, kept.Parsed));
        Assert.Null(kept.VersionKept(id));
    }

    [Fact]
    public async Task A_row_changed_in_place_at_the_same_version_is_parsed_not_taken_from_the_host()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var kept = host.Services.GetRequiredService<KeptStates>();
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voter = (await flow.EligibleAsync())[0];

        // An operator's direct change, the version left as it was: the voter is already among those who voted.
        await using (var db = await host.OpenDbAsync())
        {
            var row = await db.Instances.SingleAsync(i => i.Id == id);
            var state = JsonSerializer.Deserialize(row.StateJson, EngineJson.State)!;
            var participants = state.FindBookmark(ballot)!.Ballot!.Participants;
            participants.Add(voter);
            participants.Sort(StringComparer.Ordinal);
            var changed = JsonSerializer.Serialize(state, EngineJson.State);
            await db.Instances.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.StateJson, changed));
            Assert.Equal(2, await db.Instances.Where(i => i.Id == id).Select(i => i.Version).SingleAsync());
        }

        Assert.Equal(2, kept.VersionKept(id));
        var before = (kept.Reused, kept.Parsed);

        var vote = await flow.VoteAsync(id, ballot, voter, "consent");

        Assert.False(vote.Succeeded, "the vote ran on the host's own copy, not on the row");
        Assert.Equal((before.Reused, before.Parsed + 1), (kept.Reused, kept.Parsed));
    }

    [Fact]
    public async Task A_refused_step_keeps_nothing_and_the_next_step_parses()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var kept = host.Services.GetRequiredService<KeptStates>();
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voters = await flow.EligibleAsync();

        // The engine refuses (a choice the ballot does not offer): the state it took may be half changed; none is kept.
        Assert.False((await flow.VoteAsync(id, ballot, voters[0], "no-such-option")).Succeeded);
        Assert.Null(kept.VersionKept(id));
        var before = (kept.Reused, kept.Parsed);
        Assert.True((await flow.VoteAsync(id, ballot, voters[0], "consent")).Succeeded);
        Assert.Equal((before.Reused, before.Parsed + 1), (kept.Reused, kept.Parsed));
        Assert.Equal(3, kept.VersionKept(id));
    }

    [Fact]
    public async Task A_step_whose_write_is_rolled_back_keeps_nothing()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var kept = host.Services.GetRequiredService<KeptStates>();
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voter = (await flow.EligibleAsync())[0];

        // The voter's row says "voted" though the state does not: every attempt's write finds no pending voter and is
        // rolled back as a lost race, until the retries run out.
        await using (var db = await host.OpenDbAsync())
        {
            await db.BallotVoters.Where(v => v.InstanceId == id && v.BookmarkId == ballot && v.PersonId == voter)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VoterStatus.Voted));
        }

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => flow.VoteAsync(id, ballot, voter, "consent"));

        Assert.Null(kept.VersionKept(id));
    }

    [Fact]
    public async Task Two_steps_reading_the_same_kept_version_never_share_its_state()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var kept = host.Services.GetRequiredService<KeptStates>();
        var id = await new Consultation(host).SubmitAsync();
        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id);
        var bytes = System.Text.Encoding.UTF8.GetBytes(row.StateJson);

        for (var round = 0; round < 50; round++)
        {
            var original = JsonSerializer.Deserialize(bytes, EngineJson.State)!;
            kept.Keep(new WrittenStep(id, 100 + round, bytes, original));
            using var start = new Barrier(2);
            var states = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                return kept.StateOf(id, 100 + round, bytes);
            })));

            Assert.Single(states, s => ReferenceEquals(s, original));
            Assert.False(ReferenceEquals(states[0], states[1]));
        }

        // Two real votes at once: both counted, each from a state of its own.
        var flow = new Consultation(host);
        var ballot = await flow.AcceptAsync(id);
        var voters = await flow.EligibleAsync();
        var votes = await Task.WhenAll(voters.Take(2).Select(v => flow.VoteAsync(id, ballot, v, "consent")));
        Assert.All(votes, v => Assert.True(v.Succeeded, v.Message));
        var snapshot = await host.Queries.GetAsync(id);
        Assert.Equal(2, snapshot!.State.FindBookmark(ballot)!.Ballot!.Participants.Count);
    }
}

public sealed class SqliteKeptStateTests : KeptStateScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlKeptStateTests : KeptStateScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
