using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>The promotion consultation end to end on a real database; run once per provider by the classes below.</summary>
public abstract class ConsultationScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    protected async Task<WorkflowTestHost> StartHostAsync() => await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());

    [Fact]
    public async Task A_consultation_goes_from_submission_to_a_numbered_consent_reply()
    {
        await using var host = await StartHostAsync();
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);

        var eligible = await flow.EligibleAsync();
        Assert.Equal(13, eligible.Count);
        foreach (var voter in eligible.Take(7))
        {
            Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);
        }

        var snapshot = await host.Queries.GetAsync(id);
        Assert.Equal(InstanceStatus.Completed, snapshot!.State.Status);
        Assert.Equal("consent", snapshot.State.Result);
        Assert.Equal("2026-0001", snapshot.State.Variables["reply-consent"]!["number"]!.GetValue<string>());
        Assert.Equal("completed", snapshot.Row.Status);
        Assert.All(snapshot.WorkItems, w => Assert.Equal("closed", w.Status));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);

        // The eighth member was too late: the ballot had already decided.
        var late = await flow.VoteAsync(id, ballot, eligible[7], "consent");
        Assert.Equal(RefusalCode.InstanceEnded, late.Refusal);
    }

    [Fact]
    public async Task A_rejected_ballot_ends_in_no_consent_with_its_own_reply_number()
    {
        await using var host = await StartHostAsync();
        var flow = new Consultation(host);
        var first = await flow.SubmitAsync();
        var second = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(first);
        var eligible = await flow.EligibleAsync();
        foreach (var voter in eligible.Take(7))
        {
            Assert.True((await flow.VoteAsync(first, ballot, voter, "object")).Succeeded);
        }

        var secondBallot = await flow.AcceptAsync(second);
        foreach (var voter in eligible.Take(7))
        {
            Assert.True((await flow.VoteAsync(second, secondBallot, voter, "consent")).Succeeded);
        }

        var rejected = await host.Queries.GetAsync(first);
        Assert.Equal("no-consent", rejected!.State.Result);
        Assert.Equal("rejected", rejected.State.Variables["committee-ballot"]!["outcome"]!.GetValue<string>());
        Assert.Equal("2026-0001", rejected.State.Variables["reply-no-consent"]!["number"]!.GetValue<string>());
        var passed = await host.Queries.GetAsync(second);
        Assert.Equal("2026-0002", passed!.State.Variables["reply-consent"]!["number"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_office_returns_the_file_and_the_unit_amends_and_resubmits()
    {
        await using var host = await StartHostAsync();
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var check = await flow.OpenBookmarkAsync(id, "office-check");
        Assert.True((await flow.CompleteAsync(id, check, Consultation.Office, "return")).Succeeded);

        var amend = await flow.OpenBookmarkAsync(id, "amend");
        var bad = await flow.CompleteAsync(id, amend, Consultation.Liaison, "resubmit", new JsonObject { ["kind"] = "knighthood" });
        Assert.Equal(RefusalCode.InvalidInput, bad.Refusal);
        Assert.Contains("kind", bad.Errors!.Keys);

        var amended = await flow.CompleteAsync(id, amend, Consultation.Liaison, "resubmit", new JsonObject { ["reason"] = "补充：获评区级优秀共产党员。" });
        Assert.True(amended.Succeeded, amended.Message);

        var snapshot = await host.Queries.GetAsync(id);
        Assert.Equal("补充：获评区级优秀共产党员。", snapshot!.State.Input["reason"]!.GetValue<string>());
        Assert.Single(snapshot.WorkItems, w => w.ActivityId == "office-check" && w.Status == "open");
        var journal = await host.Queries.JournalAsync(id);
        Assert.Contains(journal, e => e.Type == "InputAmended");
    }

    [Fact]
    public async Task Withdrawal_during_the_ballot_closes_everything_it_waited_on()
    {
        await using var host = await StartHostAsync();
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var eligible = await flow.EligibleAsync();
        Assert.True((await flow.VoteAsync(id, ballot, eligible[0], "consent")).Succeeded);

        var notInitiator = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new Withdraw(Consultation.Office)));
        Assert.Equal(RefusalCode.NotAllowed, notInitiator.Refusal);

        var withdrawn = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new Withdraw(Consultation.Liaison, "nominee transferred")));
        Assert.True(withdrawn.Succeeded);
        Assert.Equal(InstanceStatus.Withdrawn, withdrawn.Status);

        await using var db = await host.OpenDbAsync();
        Assert.All(await db.WorkItems.Where(w => w.InstanceId == id).ToListAsync(), w => Assert.Equal("closed", w.Status));
        Assert.All(await db.Timers.Where(t => t.InstanceId == id).ToListAsync(), t => Assert.Equal(TimerStatus.Cancelled, t.Status));
        Assert.Empty(await host.Queries.OpenWorkForAsync(eligible[1]));
        var late = await flow.VoteAsync(id, ballot, eligible[1], "consent");
        Assert.Equal(RefusalCode.InstanceEnded, late.Refusal);
    }

    [Fact]
    public async Task Thirteen_members_voting_at_once_are_each_counted_once()
    {
        await using var host = await StartHostAsync();
        var flow = new Consultation(host);
        var start = await host.Commands.StartAsync(new StartCommand("test-every-vote-counts", Consultation.Community, Consultation.Liaison, new JsonObject { ["title"] = "concurrency" }));
        var id = start.InstanceId;
        var ballot = await flow.OpenBookmarkAsync(id, "vote");
        var eligible = await flow.EligibleAsync();
        var choices = eligible.Select((member, i) => (member, choice: i % 3 == 2 ? "object" : "consent")).ToList();

        using var gate = new SemaphoreSlim(0);
        var votes = choices.Select(async v =>
        {
            await gate.WaitAsync();
            return await flow.VoteAsync(id, ballot, v.member, v.choice);
        }).ToList();
        gate.Release(votes.Count);
        var results = await Task.WhenAll(votes);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
        var snapshot = await host.Queries.GetAsync(id);
        var record = snapshot!.State.Variables["vote"]!;
        Assert.Equal(choices.Count(c => c.choice == "consent"), record["totals"]!["consent"]!.GetValue<int>());
        Assert.Equal(choices.Count(c => c.choice == "object"), record["totals"]!["object"]!.GetValue<int>());
        Assert.Equal(13, record["participants"]!.GetValue<int>());
        Assert.Equal("passed", record["outcome"]!.GetValue<string>());

        await using var db = await host.OpenDbAsync();
        Assert.Equal(13, await db.BallotVoters.CountAsync(v => v.InstanceId == id && v.Status == VoterStatus.Voted));
        Assert.Equal(1, await db.JournalEvents.CountAsync(e => e.InstanceId == id && e.Type == "BallotClosed"));
        Assert.Equal(13, await db.JournalEvents.CountAsync(e => e.InstanceId == id && e.Type == "VoteCast"));
        Assert.Equal(0, await db.SealedChoices.CountAsync(c => c.InstanceId == id)); // counted at the close, then dropped (decision 91)
        Assert.Equal(1, await db.NumberSeries.Where(n => n.Series == "reply").SumAsync(n => n.LastValue));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task The_same_member_voting_twice_at_once_is_counted_once()
    {
        await using var host = await StartHostAsync();
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voter = (await flow.EligibleAsync())[0];

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => flow.VoteAsync(id, ballot, voter, "consent"))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(RefusalCode.AlreadyVoted, r.Refusal));
        var snapshot = await host.Queries.GetAsync(id);
        Assert.Equal(1, snapshot!.State.Bookmarks.Single().Ballot!.TotalFor("consent"));
    }

    [Fact]
    public async Task A_replayed_command_returns_the_first_result_and_changes_nothing()
    {
        await using var host = await StartHostAsync();
        var flow = new Consultation(host);
        var first = await flow.SubmitAsync(idempotencyKey: "submit-1");
        var again = await host.Commands.StartAsync(new StartCommand("promotion-consultation", Consultation.Community, Consultation.Liaison, Consultation.ValidInput(), "submit-1"));
        Assert.True(again.Replayed);
        Assert.Equal(first, again.InstanceId);

        var ballot = await flow.AcceptAsync(first);
        var voter = (await flow.EligibleAsync())[0];
        Assert.True((await flow.VoteAsync(first, ballot, voter, "consent", "vote-1")).Succeeded);
        var replay = await flow.VoteAsync(first, ballot, voter, "consent", "vote-1");
        Assert.True(replay.Succeeded);
        Assert.True(replay.Replayed);

        await using var db = await host.OpenDbAsync();
        Assert.Equal(1, await db.Instances.CountAsync(i => i.DefinitionId == "promotion-consultation"));
        Assert.Equal(1, await db.JournalEvents.CountAsync(e => e.Type == "VoteCast"));
    }

    [Fact]
    public async Task A_refused_request_writes_nothing()
    {
        await using var host = await StartHostAsync();
        var flow = new Consultation(host);
        // The seeds may store answers of their own (last year's in-service review is run through its process).
        int storedBySeeds;
        await using (var seeded = await host.OpenDbAsync())
        {
            storedBySeeds = await seeded.IdempotentCommands.CountAsync();
        }

        var bad = Consultation.ValidInput();
        bad["replyNeededBy"] = "2020-01-01";
        bad["nomineeName"] = new string('名', 51);
        var refused = await host.Commands.StartAsync(new StartCommand("promotion-consultation", Consultation.Community, Consultation.Liaison, bad, "bad-1"));
        Assert.Equal(RefusalCode.InvalidInput, refused.Refusal);
        Assert.Equal(["nomineeName", "replyNeededBy"], refused.Errors!.Keys.Order());

        var id = await flow.SubmitAsync();
        var check = await flow.OpenBookmarkAsync(id, "office-check");
        await using var db = await host.OpenDbAsync();
        var before = (await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id)).Version;
        var wrongActor = await flow.CompleteAsync(id, check, Consultation.Liaison, "accept");
        Assert.Equal(RefusalCode.NotAllowed, wrongActor.Refusal);
        var after = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id);
        Assert.Equal(before, after.Version);
        Assert.Equal(storedBySeeds, await db.IdempotentCommands.CountAsync());
    }
}

public sealed class SqliteConsultationTests : ConsultationScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlConsultationTests : ConsultationScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
