using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Processing;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Processing;

/// <summary>What survives a crash, what a failed step leaves behind (nothing), and timers that fire once.</summary>
public abstract class DurabilityScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_step_that_fails_before_commit_leaves_no_trace_and_can_be_run_again()
    {
        var database = await CreateDatabaseAsync();
        await using var _ = database;
        var failOnce = new FailBeforeInstanceUpdate();
        await using var host = await WorkflowTestHost.StartAsync(database, configure: services =>
            services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(failOnce)));
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voter = (await flow.EligibleAsync())[0];
        var journalBefore = (await host.Queries.JournalAsync(id)).Count;

        failOnce.Armed = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => flow.VoteAsync(id, ballot, voter, "consent"));

        await using (var db = await host.OpenDbAsync())
        {
            Assert.Equal(VoterStatus.Pending, (await db.BallotVoters.SingleAsync(v => v.InstanceId == id && v.PersonId == voter)).Status);
            Assert.Equal(journalBefore, await db.JournalEvents.CountAsync(e => e.InstanceId == id));
        }

        Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task A_process_that_dies_between_steps_loses_nothing_it_committed()
    {
        var database = await CreateDatabaseAsync();
        await using var _ = database;
        var crashed = await WorkflowTestHost.StartAsync(database);
        var flow = new Consultation(crashed);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var eligible = await flow.EligibleAsync();
        foreach (var voter in eligible.Take(5))
        {
            Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);
        }

        // No graceful shutdown: the first "process" is abandoned with its connections open, as a kill would leave it.
        await using var restarted = await WorkflowTestHost.StartAsync(await AfterCrashAsync(database), crashed.Time);
        var resumed = new Consultation(restarted);
        var snapshot = await restarted.Queries.GetAsync(id);
        Assert.Equal(5, snapshot!.State.Bookmarks.Single().Ballot!.TotalFor("consent"));
        foreach (var voter in eligible.Skip(5).Take(2))
        {
            Assert.True((await resumed.VoteAsync(id, ballot, voter, "consent")).Succeeded);
        }

        Assert.Equal("consent", (await restarted.Queries.GetAsync(id))!.State.Result);
        Assert.True((await restarted.Queries.VerifyJournalAsync(id)).Intact);
        GC.KeepAlive(crashed);
    }

    /// <summary>The database as a restarted process finds it.</summary>
    protected virtual Task<TestDatabase> AfterCrashAsync(TestDatabase database) => Task.FromResult(database);

    [Fact]
    public async Task A_ballot_deadline_fires_once_and_never_passes_the_ballot()
    {
        await using var host = await WorkflowTestHost.StartAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        foreach (var voter in (await flow.EligibleAsync()).Take(6))
        {
            Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);
        }

        var deadline = Assert.Single(await PendingTimersAsync(host, id), t => t.BookmarkId == ballot);
        Assert.Empty(await host.Queries.DueTimersAsync(host.Time.GetUtcNow(), 10));
        host.Time.SetUtcNow(deadline.DueAt.AddSeconds(1));
        var due = Assert.Single(await host.Queries.DueTimersAsync(host.Time.GetUtcNow(), 10));

        var fired = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new FireTimer(due.TimerId)));
        var again = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new FireTimer(due.TimerId)));

        Assert.True(fired.Succeeded);
        Assert.Equal(RefusalCode.Closed, again.Refusal);
        var snapshot = await host.Queries.GetAsync(id);
        Assert.Equal("no-quorum", snapshot!.State.Variables["committee-ballot"]!["outcome"]!.GetValue<string>());
        Assert.Single(snapshot.WorkItems, w => w.ActivityId == "no-quorum-review" && w.Status == "open");
        Assert.Empty(await host.Queries.DueTimersAsync(host.Time.GetUtcNow(), 10));

        var review = await flow.OpenBookmarkAsync(id, "no-quorum-review");
        Assert.True((await flow.CompleteAsync(id, review, Consultation.Secretary, "revote")).Succeeded);
        var secondBallot = await flow.OpenBookmarkAsync(id, "committee-ballot");
        Assert.NotEqual(ballot, secondBallot);
    }

    private static async Task<List<Entities.WorkflowTimer>> PendingTimersAsync(WorkflowTestHost host, Guid id)
    {
        await using var db = await host.OpenDbAsync();
        return await db.Timers.Where(t => t.InstanceId == id && t.Status == TimerStatus.Pending).ToListAsync();
    }

    /// <summary>Throws once, right before the instance row is updated: effects are written, the commit never comes.</summary>
    private sealed class FailBeforeInstanceUpdate : DbCommandInterceptor
    {
        public bool Armed { get; set; }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && command.CommandText.Contains("UPDATE \"Instances\"", StringComparison.Ordinal))
            {
                Armed = false;
                throw new InvalidOperationException("simulated crash before the state is written");
            }

            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}

public sealed class SqliteDurabilityTests : DurabilityScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());

    /// <summary>Copies the database file and its write-ahead log exactly as they lie on disk while the first process still holds them.</summary>
    protected override Task<TestDatabase> AfterCrashAsync(TestDatabase database)
    {
        var copy = new SqliteTestDatabase();
        var source = ((SqliteTestDatabase)database).FilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(copy.FilePath)!);
        foreach (var suffix in new[] { "", "-wal" })
        {
            if (File.Exists(source + suffix))
            {
                using var from = new FileStream(source + suffix, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var to = File.Create(copy.FilePath + suffix);
                from.CopyTo(to);
            }
        }

        return Task.FromResult<TestDatabase>(copy);
    }
}

public sealed class PostgreSqlDurabilityTests : DurabilityScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
