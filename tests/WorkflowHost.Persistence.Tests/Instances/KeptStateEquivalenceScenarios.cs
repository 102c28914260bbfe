using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Journal;
using WorkflowHost.Persistence.Sealing;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// A step that reuses the state its host kept (decision 170) must do exactly what it would have done on a state parsed
/// from the row. Two hosts, each on its own database, run the same random steps (votes by anyone with any choice,
/// replays under reused keys, comments, the clock moved and timers fired, refusals among them) on an open and a secret
/// ballot: one keeps states, the other (<c>KeptInstanceStates = 0</c>) parses every time. After each step the answers,
/// the stored state's bytes, the version and the journal's sequence and head must be the same on both.
/// </summary>
public abstract class KeptStateEquivalenceScenarios
{
    private static readonly string[] Choices = ["consent", "object", "abstain", "maybe"];

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(2026)]
    public async Task Random_steps_on_a_kept_state_end_as_on_a_parsed_one(int seed)
    {
        await using var kept = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var parsedDatabase = await CreateDatabaseAsync();
        parsedDatabase.Options.KeptInstanceStates = 0;
        await using var parsed = await WorkflowTestHost.StartOwningAsync(parsedDatabase);
        using var keptReads = new KeptStateReads(kept);
        using var parsedReads = new KeptStateReads(parsed);
        var pair = new Pair(kept, parsed);
        var random = new Random(seed);

        var promotion = Guid.Parse($"01939c1e-0000-7000-8000-{seed:D12}");
        await pair.StartAsync(new StartCommand("promotion-consultation", Consultation.Community, Consultation.Liaison, Consultation.ValidInput(), InstanceId: promotion));
        var check = await new Consultation(kept).OpenBookmarkAsync(promotion, "office-check");
        await pair.StepAsync(promotion, new CompleteTask(check, Consultation.Office, "accept", null), key: null);
        var openBallot = await new Consultation(kept).OpenBookmarkAsync(promotion, "committee-ballot");

        var affairs = Guid.Parse($"01939c1e-0000-7000-9000-{seed:D12}");
        await pair.StartAsync(new StartCommand("joint-affairs-discussion", Consultation.Community, "p-liaison-han", new JsonObject
        {
            ["title"] = "新华路小学周边交通", ["category"] = "community-management", ["description"] = "拥堵。", ["proposal"] = "错峰放学。",
        }, InstanceId: affairs));
        var agenda = await new ProcessDriver(kept).OpenAsync(affairs, "place-on-agenda");
        await pair.StepAsync(affairs, new CompleteTask(agenda, ProcessDriver.OfficeXie, "schedule", null, Data: new JsonObject { ["format"] = "online", ["secretBallot"] = true }), key: null);
        await pair.AdvanceAndFireAsync(affairs, new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.Zero));
        var secretBallot = await new ProcessDriver(kept).OpenAsync(affairs, "committee-ballot");
        await RandomStepsAsync(pair, [(promotion, openBallot), (affairs, secretBallot)], random);

        Assert.True(pair.Steps >= 40, $"{pair.Steps} steps compared");
        var reused = keptReads.Reused;
        Assert.True(reused >= pair.Steps / 4, $"the keeping host reused {reused} states in {pair.Steps} steps");
        Assert.NotEmpty(parsedReads.Results);
        Assert.Equal(0, parsedReads.Reused);
        foreach (var host in new[] { kept, parsed })
        {
            var audit = await JournalAudit.VerifyAllAsync(host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(), host.Services.GetRequiredService<StoreKeys>());
            Assert.True(audit.AllIntact);
        }
    }

    private static async Task RandomStepsAsync(Pair pair, (Guid Id, string Ballot)[] instances, Random random)
    {
        var people = await new ProcessDriver(pair.Kept).CommitteeAsync();
        string[] keys = ["k1", "k2", "k3"];
        for (var i = 0; i < 80; i++)
        {
            var (id, ballot) = instances[random.Next(instances.Length)];
            var person = people[random.Next(people.Count)];
            var key = random.Next(4) == 0 ? keys[random.Next(keys.Length)] + id : null;
            switch (random.Next(10))
            {
                case < 6:
                    await pair.StepAsync(id, new CastVote(ballot, person, Choices[random.Next(Choices.Length)], random.Next(2) == 0 ? null : "理由" + i), key);
                    break;
                case 6:
                    await pair.StepAsync(id, new AddComment(person, "意见 " + i), key);
                    break;
                case 7:
                    await pair.StepAsync(id, new FireTimer("no-such-timer"), key);
                    break;
                default:
                    await pair.AdvanceAndFireAsync(id, pair.Kept.Time.GetUtcNow().AddHours(random.Next(1, 12)));
                    break;
            }
        }
    }

    /// <summary>The two hosts, stepped together and compared after each step.</summary>
    private sealed class Pair(WorkflowTestHost kept, WorkflowTestHost parsed)
    {
        public WorkflowTestHost Kept => kept;

        public int Steps { get; private set; }

        public async Task StartAsync(StartCommand command)
        {
            var answers = (await kept.Commands.StartAsync(command), await parsed.Commands.StartAsync(command));
            Assert.True(answers.Item1.Succeeded, answers.Item1.Message);
            await CompareAsync(command.InstanceId!.Value, answers.Item1, answers.Item2, "start");
        }

        public async Task StepAsync(Guid id, Stimulus stimulus, string? key)
        {
            var command = new ResumeCommand(id, Consultation.Community, stimulus, key);
            await CompareAsync(id, await kept.Commands.ResumeAsync(command), await parsed.Commands.ResumeAsync(command), stimulus.ToString());
        }

        /// <summary>Moves both clocks and fires, on both, the timers due on the keeping host, in the sweep's order.</summary>
        public async Task AdvanceAndFireAsync(Guid id, DateTimeOffset to)
        {
            if (to <= kept.Time.GetUtcNow())
            {
                to = kept.Time.GetUtcNow();
            }

            kept.Time.SetUtcNow(to);
            parsed.Time.SetUtcNow(to);
            await using var db = await kept.OpenDbAsync();
            var due = await db.Timers.AsNoTracking().Where(t => t.InstanceId == id && t.Status == Entities.TimerStatus.Pending).ToListAsync();
            foreach (var timer in due.Where(t => t.DueAt <= to).OrderBy(t => t.DueAt).ThenBy(t => t.TimerId, StringComparer.Ordinal))
            {
                await StepAsync(id, new FireTimer(timer.TimerId), key: null);
            }
        }

        private async Task CompareAsync(Guid id, CommandResult fromKept, CommandResult fromParsed, string what)
        {
            Steps++;
            Assert.Equal(Describe(fromParsed), Describe(fromKept));
            var (keptRow, parsedRow) = (await RowAsync(kept, id), await RowAsync(parsed, id));
            Assert.True(parsedRow == keptRow, $"after {what}:\nparsed {parsedRow}\nkept   {keptRow}");
        }

        private static string Describe(CommandResult r) => $"{r.Succeeded} {r.Refusal} {r.Status} {r.Result} {r.Replayed} {r.Message}";

        private static async Task<string> RowAsync(WorkflowTestHost host, Guid id)
        {
            await using var db = await host.OpenDbAsync();
            var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id);
            return $"v{row.Version} j{row.JournalSequence} {row.JournalHead} {row.Status} {row.Result} {row.StateJson}";
        }
    }
}

public sealed class SqliteKeptStateEquivalenceTests : KeptStateEquivalenceScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlKeptStateEquivalenceTests : KeptStateEquivalenceScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
