using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Sealing;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Sealing;

/// <summary>
/// The step that closes a secret ballot runs twice in the store (decision 169): first without the sealed choices, which
/// it then asks for, and again with them. Only the second run may show: the totals count every choice once, the journal
/// holds each event once and still verifies, the sealed choices are gone, and the step that closes is not refused as a
/// repeat of itself (the first run changed the parsed state in place: a second run on it would see the vote as cast).
/// </summary>
public abstract class SecretBallotClosingScenarios
{
    private const string Process = "test-every-vote-counts";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task The_last_vote_counts_every_sealed_choice_once_and_leaves_nothing_of_its_first_run()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var (flow, id, ballot, eligible) = await TwelveVotedAsync(host);

        var closing = await flow.VoteAsync(id, ballot, eligible[12], "object");

        Assert.True(closing.Succeeded, closing.Message);
        await AssertClosedAsync(host, id, participants: 13, consent: 8, objections: 4, recused: 0);
    }

    [Fact]
    public async Task A_recusal_that_leaves_everyone_voted_counts_the_sealed_choices_once()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var (_, id, ballot, eligible) = await TwelveVotedAsync(host);

        var closing = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new Recuse(ballot, eligible[12], "人选系本人亲属")));

        Assert.True(closing.Succeeded, closing.Message);
        await AssertClosedAsync(host, id, participants: 12, consent: 8, objections: 3, recused: 1);
    }

    [Fact]
    public async Task Choices_read_after_the_instance_moved_on_are_a_lost_race_not_a_count()
    {
        // The closing step read the instance at some version; a vote committed before it read the choices (PostgreSQL
        // reads them in a statement of their own). The choices then belong to a later version: the step must run again.
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var (_, id, ballot, _) = await TwelveVotedAsync(host);
        await using var db = await host.OpenDbAsync();
        var version = await db.Instances.Where(i => i.Id == id).Select(i => i.Version).SingleAsync();
        var keys = host.Services.GetRequiredService<StoreKeys>();

        var atTheVersionRead = await SealedBallots.UnsealAsync(db, keys, id, version, ballot, CancellationToken.None);
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => SealedBallots.UnsealAsync(db, keys, id, version - 1, ballot, CancellationToken.None));

        Assert.Equal(12, atTheVersionRead.Count);
        Assert.Equal(8, atTheVersionRead.Count(c => c == "consent"));
        Assert.Contains($"version {version - 1}", conflict.Message, StringComparison.Ordinal);
    }

    /// <summary>Twelve of the thirteen eligible have voted, secretly: eight consent, three object, one abstains.</summary>
    private static async Task<(Consultation Flow, Guid Id, string Ballot, IReadOnlyList<string> Eligible)> TwelveVotedAsync(WorkflowTestHost host)
    {
        var flow = new Consultation(host);
        var started = await host.Commands.StartAsync(new StartCommand(Process, Consultation.Community, Consultation.Liaison, new JsonObject { ["title"] = "closing" }));
        Assert.True(started.Succeeded, started.Message);
        var ballot = await flow.OpenBookmarkAsync(started.InstanceId, "vote");
        var eligible = await flow.EligibleAsync();
        Assert.Equal(13, eligible.Count);
        for (var i = 0; i < 12; i++)
        {
            var vote = await flow.VoteAsync(started.InstanceId, ballot, eligible[i], i < 8 ? "consent" : i < 11 ? "object" : "abstain");
            Assert.True(vote.Succeeded, vote.Message);
        }

        return (flow, started.InstanceId, ballot, eligible);
    }

    private static async Task AssertClosedAsync(WorkflowTestHost host, Guid id, int participants, int consent, int objections, int recused)
    {
        var record = (await host.Queries.GetAsync(id))!.State.Variables["vote"]!;
        Assert.Equal("passed", record["outcome"]!.GetValue<string>());
        Assert.Equal(participants, record["participants"]!.GetValue<int>());
        Assert.Equal((consent, objections, 1), (record["totals"]!["consent"]!.GetValue<int>(), record["totals"]!["object"]!.GetValue<int>(), record["totals"]!["abstain"]!.GetValue<int>()));

        await using var db = await host.OpenDbAsync();
        var journal = await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == id).Select(e => e.Type).ToListAsync();
        Assert.Equal(participants, journal.Count(t => t == "VoteCast"));
        Assert.Equal(recused, journal.Count(t => t == "Recused"));
        Assert.Single(journal, t => t == "BallotClosed");
        Assert.Equal(0, await db.SealedChoices.CountAsync(c => c.InstanceId == id));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }
}

public sealed class SqliteSecretBallotClosingTests : SecretBallotClosingScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlSecretBallotClosingTests : SecretBallotClosingScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
