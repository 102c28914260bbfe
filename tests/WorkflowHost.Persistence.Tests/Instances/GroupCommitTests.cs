using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// SQLite's group commit (decision 158), on a real file. Each test holds this process's turn to write while it queues
/// steps, so what shares a commit is known: the writer takes the first step, waits for the turn, and every step queued
/// meanwhile goes into the next group.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task Votes_queued_while_another_commits_share_one_commit_and_every_one_is_counted()
    {
        await using var scene = await Scene.StartAsync();
        var voters = scene.Eligible.Take(8).ToList();

        // Split, so that no vote decides the ballot and closes it to the rest.
        var answers = await scene.GroupAsync([.. voters.Select((voter, i) => Vote(scene, voter, i % 2 == 0 ? "object" : "consent"))]);

        Assert.All(answers, a => Assert.True(a.Succeeded, a.Message));
        Assert.Equal(2, scene.Commits);
        Assert.Equal(9, scene.StepsCommitted);
        var live = (await scene.Host.Queries.GetAsync(scene.Id))!.State.Bookmarks.Single().Ballot!;
        Assert.Equal(5, live.TotalFor("consent"));
        Assert.Equal(4, live.TotalFor("object"));
        Assert.True((await scene.Host.Queries.VerifyJournalAsync(scene.Id)).Intact);
    }

    [Fact]
    public async Task A_refused_step_in_a_group_is_rolled_back_alone_and_a_later_step_sees_the_earlier_ones_writes()
    {
        await using var scene = await Scene.StartAsync();
        var (first, second) = (scene.Eligible[0], scene.Eligible[1]);

        var answers = await scene.GroupAsync(
            Vote(scene, first, "consent"),
            Vote(scene, second, "maybe"),
            Vote(scene, second, "object"),
            // Refused because the first vote, not yet committed but earlier in the same transaction, is already there.
            Vote(scene, first, "object"));

        Assert.True(answers[0].Succeeded, answers[0].Message);
        Assert.False(answers[1].Succeeded);
        Assert.True(answers[2].Succeeded, answers[2].Message);
        Assert.False(answers[3].Succeeded);
        Assert.Equal(2, scene.Commits);
        Assert.Equal(3, scene.StepsCommitted);
        var live = (await scene.Host.Queries.GetAsync(scene.Id))!.State.Bookmarks.Single().Ballot!;
        Assert.Equal(2, live.TotalFor("consent"));
        Assert.Equal(1, live.TotalFor("object"));
        Assert.True((await scene.Host.Queries.VerifyJournalAsync(scene.Id)).Intact);
    }

    [Fact]
    public async Task The_groups_savepoints_are_statements_the_writer_keeps_and_a_refused_step_still_rolls_back_alone()
    {
        await using var scene = await Scene.StartAsync();
        var voters = scene.Eligible.Take(4).ToList();
        Assert.True((await scene.Flow.VoteAsync(scene.Id, scene.Ballot, voters[0], "object")).Succeeded);
        var kept = scene.Group.KeptStatements!;
        var before = kept.WriteRuns;

        var answers = await scene.GroupAsync(
            Vote(scene, voters[1], "consent"),
            // Refused (already voted): rolled back to its savepoint, which stays open, and the next step nests in it.
            Vote(scene, voters[0], "consent"),
            Vote(scene, voters[3], "maybe"),
            Vote(scene, voters[2], "object"));
        Assert.Equal([true, false, false, true], answers.Select(answer => answer.Succeeded));
        Assert.Equal(VoterStatus.Pending, await scene.VoterStatusAsync(voters[3]));
        Assert.True((await scene.Flow.VoteAsync(scene.Id, scene.Ballot, voters[3], "consent")).Succeeded);

        // Each savepoint statement prepared once on the writer's connection, and run (SQLite's own count) at each use.
        Assert.Same(kept, scene.Group.KeptStatements);
        var statements = kept.WriteRuns;
        int RunsOf(string sql) => Assert.Single(statements, statement => statement.Sql == sql).Runs - before.Where(statement => statement.Sql == sql).Sum(statement => statement.Runs);
        Assert.Equal(3, RunsOf("SAVEPOINT \"step0\";")); // the filler's, the group's first, the last vote
        Assert.Equal(3, RunsOf("RELEASE SAVEPOINT \"step0\";"));
        Assert.Equal(1, RunsOf("ROLLBACK TO SAVEPOINT \"step1\";"));
        Assert.Equal(1, RunsOf("ROLLBACK TO SAVEPOINT \"step2\";"));
        Assert.Equal(1, RunsOf("RELEASE SAVEPOINT \"step3\";"));
        Assert.DoesNotContain(statements, statement => statement.Sql == "RELEASE SAVEPOINT \"step1\";");
        Assert.Equal(4, scene.Commits);
        var live = (await scene.Host.Queries.GetAsync(scene.Id))!.State.Bookmarks.Single().Ballot!;
        Assert.Equal(3, live.TotalFor("consent")); // the filler, voters 1 and 3
        Assert.Equal(2, live.TotalFor("object")); // voters 0 and 2
        Assert.True((await scene.Host.Queries.VerifyJournalAsync(scene.Id)).Intact);
    }

    [Fact]
    public async Task The_same_key_twice_in_one_group_is_one_vote_and_the_second_is_its_replay()
    {
        await using var scene = await Scene.StartAsync();
        var voter = scene.Eligible[0];

        var answers = await scene.GroupAsync(
            () => scene.Flow.VoteAsync(scene.Id, scene.Ballot, voter, "consent", key: "vote-once"),
            () => scene.Flow.VoteAsync(scene.Id, scene.Ballot, voter, "consent", key: "vote-once"));

        Assert.True(answers[0].Succeeded, answers[0].Message);
        Assert.False(answers[0].Replayed);
        Assert.True(answers[1].Succeeded, answers[1].Message);
        Assert.True(answers[1].Replayed);
        Assert.Equal(2, scene.StepsCommitted);
        Assert.Equal(2, (await scene.Host.Queries.GetAsync(scene.Id))!.State.Bookmarks.Single().Ballot!.TotalFor("consent"));
    }

    [Fact]
    public async Task A_step_that_fails_inside_a_group_leaves_no_trace_and_the_others_commit()
    {
        // The filler's write of the instance is the first, so the group's second vote is the third.
        var failInGroup = new FailOnInstanceUpdate { FailAt = 3 };
        await using var scene = await Scene.StartAsync(failInGroup);
        var voters = scene.Eligible.Take(3).ToList();
        var journalBefore = await scene.JournalCountAsync();

        failInGroup.Armed = true;
        var votes = await scene.QueueAsGroupAsync([.. voters.Select(voter => Vote(scene, voter, "consent"))]);

        Assert.True((await votes[0]).Succeeded);
        await Assert.ThrowsAsync<InvalidOperationException>(() => votes[1]);
        Assert.True((await votes[2]).Succeeded);
        Assert.Equal(3, scene.StepsCommitted);
        Assert.Equal(VoterStatus.Pending, await scene.VoterStatusAsync(voters[1]));
        Assert.Equal(journalBefore + 3, await scene.JournalCountAsync());
        Assert.True((await scene.Flow.VoteAsync(scene.Id, scene.Ballot, voters[1], "consent")).Succeeded);
        Assert.True((await scene.Host.Queries.VerifyJournalAsync(scene.Id)).Intact);
    }

    [Fact]
    public async Task A_group_whose_commit_fails_answers_no_step_as_done_and_keeps_none()
    {
        var failCommit = new FailSecondCommit();
        await using var scene = await Scene.StartAsync(failCommit);
        var voters = scene.Eligible.Take(3).ToList();
        var journalBefore = await scene.JournalCountAsync();

        // The filler's group commits; the next commit, the group's, fails.
        failCommit.Armed = true;
        var keptBefore = scene.Group.KeptStatements;
        var votes = await scene.QueueAsGroupAsync([.. voters.Select(voter => Vote(scene, voter, "consent"))]);

        foreach (var vote in votes)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => vote);
        }

        Assert.All(await Task.WhenAll(voters.Select(scene.VoterStatusAsync)), status => Assert.Equal(VoterStatus.Pending, status));
        Assert.Equal(journalBefore + 1, await scene.JournalCountAsync());
        Assert.Equal(1, scene.Commits);
        Assert.Null(scene.Group.KeptStatements); // the failed group's connection was let go
        Assert.True((await scene.Flow.VoteAsync(scene.Id, scene.Ballot, voters[1], "consent")).Succeeded);
        Assert.NotNull(scene.Group.KeptStatements);
        Assert.NotSame(keptBefore, scene.Group.KeptStatements);
        Assert.Equal(2, (await scene.Host.Queries.GetAsync(scene.Id))!.State.Bookmarks.Single().Ballot!.TotalFor("consent"));
        Assert.True((await scene.Host.Queries.VerifyJournalAsync(scene.Id)).Intact);
    }

    [Fact]
    public async Task The_writer_keeps_the_steps_statements_prepared_from_one_group_to_the_next()
    {
        await using var scene = await Scene.StartAsync();
        var voters = scene.Eligible.Take(4).ToList();
        Assert.True((await scene.Flow.VoteAsync(scene.Id, scene.Ballot, voters[0], "object")).Succeeded);
        var kept = scene.Group.KeptStatements!;
        var before = kept.WriteRuns;
        var (prepared, reused, sqlBefore) = (kept.Prepared, kept.Reused, kept.KeptSql);

        // One after another, so each vote is a group of its own, like the first one.
        foreach (var (voter, choice) in voters.Skip(1).Zip(["consent", "object", "consent"]))
        {
            var answer = await scene.Flow.VoteAsync(scene.Id, scene.Ballot, voter, choice);
            Assert.True(answer.Succeeded, answer.Message);
        }

        Assert.Same(kept, scene.Group.KeptStatements);
        Assert.Equal(3, scene.Commits - 1);
        Assert.True(prepared == kept.Prepared, $"prepared {prepared} -> {kept.Prepared}: " + string.Join(" | ", kept.KeptSql.Except(sqlBefore))); // every statement of those votes was prepared by the first one
        Assert.True(kept.Reused - reused >= 3 * 2, $"{kept.Reused - reused} statements reused"); // at least each vote's read and write
        var live = (await scene.Host.Queries.GetAsync(scene.Id))!.State.Bookmarks.Single().Ballot!;
        Assert.Equal(2, live.TotalFor("consent"));
        Assert.Equal(2, live.TotalFor("object"));
    }

    [Fact]
    public async Task Each_commit_records_how_many_steps_it_carried_on_the_persistence_meter()
    {
        await using var scene = await Scene.StartAsync();
        var meters = scene.Host.Services.GetRequiredService<IMeterFactory>();
        var sizes = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == GroupCommit.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            lock (sizes)
            {
                sizes.Add(size);
            }
        });
        listener.Start();

        await scene.GroupAsync(
            Vote(scene, scene.Eligible[0], "consent"),
            Vote(scene, scene.Eligible[1], "object"),
            Vote(scene, scene.Eligible[0], "object")); // refused: still part of the commit it waited for

        Assert.Equal([1, 3], sizes); // the filler alone, then the group
    }

    private static Func<Task<CommandResult>> Vote(Scene scene, string voter, string choice) =>
        () => scene.Flow.VoteAsync(scene.Id, scene.Ballot, voter, choice);

    [Fact]
    public async Task With_group_commit_turned_off_each_step_commits_alone()
    {
        await using var database = new SqliteTestDatabase();
        database.Options.GroupCommit = false;
        await using var host = await WorkflowTestHost.StartAsync(database);

        Assert.Null(host.Services.GetService<GroupCommit>());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var answers = await Task.WhenAll((await flow.EligibleAsync()).Take(4).Select(v => Task.Run(() => flow.VoteAsync(id, ballot, v, "consent"))));
        Assert.All(answers, a => Assert.True(a.Succeeded, a.Message));
    }

    /// <summary>A consultation at its ballot on a fresh SQLite file, and the host's group commit to watch.</summary>
    private sealed class Scene : IAsyncDisposable
    {
        private long _commitsAtStart;
        private long _stepsAtStart;

        private Scene(WorkflowTestHost host) => Host = host;

        public WorkflowTestHost Host { get; }

        public Consultation Flow => new(Host);

        public Guid Id { get; private set; }

        public string Ballot { get; private set; } = "";

        /// <summary>Eligible voters, less <see cref="Filler"/>.</summary>
        public IReadOnlyList<string> Eligible { get; private set; } = [];

        /// <summary>The voter whose vote commits alone ahead of each group.</summary>
        public string Filler { get; private set; } = "";

        public GroupCommit Group => Host.Services.GetRequiredService<GroupCommit>();

        public long Commits => Group.Commits - _commitsAtStart;

        public long StepsCommitted => Group.StepsCommitted - _stepsAtStart;

        public static async Task<Scene> StartAsync(IInterceptor? interceptor = null)
        {
            var database = new SqliteTestDatabase();
            var host = await WorkflowTestHost.StartOwningAsync(database, configure: interceptor is null ? null : services =>
                services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(interceptor)));
            var scene = new Scene(host);
            var flow = scene.Flow;
            scene.Id = await flow.SubmitAsync();
            scene.Ballot = await flow.AcceptAsync(scene.Id);
            var eligible = await flow.EligibleAsync();
            scene.Filler = eligible[^1];
            scene.Eligible = [.. eligible.SkipLast(1)];
            scene._commitsAtStart = scene.Group.Commits;
            scene._stepsAtStart = scene.Group.StepsCommitted;
            return scene;
        }

        public async Task<CommandResult[]> GroupAsync(params Func<Task<CommandResult>>[] steps) =>
            await Task.WhenAll(await QueueAsGroupAsync(steps));

        /// <summary>
        /// Holds the turn to write, queues a first step (a vote of <see cref="Filler"/>) and waits until the writer has
        /// taken it alone, then queues <paramref name="steps"/> in order behind it, and lets the writer go: the first
        /// commits alone, the steps share the next commit.
        /// </summary>
        public async Task<List<Task<CommandResult>>> QueueAsGroupAsync(params Func<Task<CommandResult>>[] steps)
        {
            var gate = Host.Services.GetRequiredService<StepWriteGate>();
            Task<CommandResult> first;
            List<Task<CommandResult>> queued;
            using (await gate.EnterAsync(TestContext.Current.CancellationToken))
            {
                first = Flow.VoteAsync(Id, Ballot, Filler, "consent");
                await WaitUntilAsync(() => Group.Waiting == 0, "the writer to take the first step");
                queued = [.. steps.Select(step => step())];
                await WaitUntilAsync(() => Group.Waiting == steps.Length, $"{steps.Length} steps to queue");
            }

            Assert.True((await first).Succeeded);
            return queued;
        }

        private static async Task WaitUntilAsync(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, "Waited 20 s for " + what + ".");
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }
        }

        public async Task<int> JournalCountAsync()
        {
            await using var db = await Host.OpenDbAsync();
            return await db.JournalEvents.CountAsync(e => e.InstanceId == Id);
        }

        public async Task<string> VoterStatusAsync(string voter)
        {
            await using var db = await Host.OpenDbAsync();
            return (await db.BallotVoters.SingleAsync(v => v.InstanceId == Id && v.PersonId == voter)).Status;
        }

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    /// <summary>Fails the <see cref="FailAt"/>-th write of an instance's state, once, as a crash inside a step would.</summary>
    private sealed class FailOnInstanceUpdate : DbCommandInterceptor
    {
        private int _seen;

        public int FailAt { get; init; }

        public bool Armed { get; set; }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && command.CommandText.Contains("UPDATE \"Instances\"", StringComparison.Ordinal) && Interlocked.Increment(ref _seen) == FailAt)
            {
                throw new InvalidOperationException("simulated failure inside a grouped step");
            }

            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    /// <summary>Fails the second commit once armed, as a full disk would.</summary>
    private sealed class FailSecondCommit : DbTransactionInterceptor
    {
        private int _seen;

        public bool Armed { get; set; }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (Armed && Interlocked.Increment(ref _seen) == 2)
            {
                throw new InvalidOperationException("simulated failure of the group's commit");
            }

            return base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
        }
    }
}
