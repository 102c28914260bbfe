using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

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

    [Fact]
    public async Task A_timer_fired_before_its_due_time_is_refused_and_stays_pending()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var deadline = (await PendingTimersAsync(host, id)).Single(t => t.BookmarkId == ballot && t.Purpose == "deadline");
        host.Time.SetUtcNow(deadline.DueAt.AddMilliseconds(-200)); // a scheduler that keeps whole seconds starts jobs early

        var early = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new FireTimer(deadline.TimerId)));

        Assert.Equal(RefusalCode.NotAllowed, early.Refusal);
        Assert.Contains(await PendingTimersAsync(host, id), t => t.TimerId == deadline.TimerId);
        host.Time.SetUtcNow(deadline.DueAt);
        Assert.True((await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new FireTimer(deadline.TimerId)))).Succeeded);
    }

    [Fact]
    public async Task The_journal_verifies_when_the_clock_is_finer_than_the_database_keeps()
    {
        // 100 ns ticks: PostgreSQL keeps microseconds. The journal hash must cover the time as it is stored.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(WorkflowTestHost.DefaultStart.AddTicks(1_234_567));
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync(), time);
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        time.Advance(TimeSpan.FromTicks(7_654_321));
        await flow.AcceptAsync(id);

        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    /// <summary>The database as a restarted process finds it.</summary>
    protected virtual Task<TestDatabase> AfterCrashAsync(TestDatabase database) => Task.FromResult(database);

    [Fact]
    public async Task Deadline_reminder_and_escalation_timers_fire_once_and_never_decide_the_ballot()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var eligible = await flow.EligibleAsync();
        foreach (var voter in eligible.Take(6))
        {
            Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);
        }

        var timers = (await PendingTimersAsync(host, id)).Where(t => t.BookmarkId == ballot).OrderBy(t => t.DueAt).ThenBy(t => t.TimerId).ToList();
        Assert.Equal(["reminder", "deadline", "escalation", "escalation"], timers.Select(t => t.Purpose));
        Assert.Empty(await host.Queries.DueTimersAsync(host.Time.GetUtcNow(), 10));

        foreach (var timer in timers)
        {
            host.Time.SetUtcNow(timer.DueAt.AddSeconds(1));
            var due = Assert.Single(await host.Queries.DueTimersAsync(host.Time.GetUtcNow(), 10), t => t.TimerId == timer.TimerId);
            var fired = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new FireTimer(due.TimerId)));
            var again = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new FireTimer(due.TimerId)));
            Assert.True(fired.Succeeded, fired.Message);
            Assert.False(again.Succeeded);
        }

        await using (var db = await host.OpenDbAsync())
        {
            var notifications = await db.Notifications.Where(n => n.InstanceId == id).ToListAsync();
            Assert.Equal(7, notifications.Count(n => n.Template == "reminder"));
            Assert.Equal(
                [Consultation.Secretary, "p-street-qian"],
                notifications.Where(n => n.Template == "escalation").Select(n => n.RecipientId).Order(StringComparer.Ordinal));
            Assert.Equal(notifications.Count, await db.NotificationDeliveries.CountAsync(d => notifications.Select(n => n.Id).Contains(d.NotificationId) && d.Status == DeliveryStatus.Pending));
            Assert.Equal(4, await db.Timers.CountAsync(t => t.InstanceId == id && t.BookmarkId == ballot && t.Status == TimerStatus.Fired));
        }

        // Overdue is not a decision: the ballot waits for the seventh vote, which passes it.
        var snapshot = await host.Queries.GetAsync(id);
        Assert.Equal(InstanceStatus.Running, snapshot!.State.Status);
        Assert.Single(snapshot.WorkItems, w => w.BookmarkId == ballot && w.Status == "open");
        Assert.Empty(await host.Queries.DueTimersAsync(host.Time.GetUtcNow(), 10));
        Assert.True((await flow.VoteAsync(id, ballot, eligible[6], "consent")).Succeeded);
        Assert.Equal("consent", (await host.Queries.GetAsync(id))!.State.Result);
    }

    [Fact]
    public async Task Extending_a_deadline_moves_the_inbox_due_date_and_replaces_the_pending_timers()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var before = await PendingTimersAsync(host, id);

        var extended = await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community,
            new ExtendDeadline(ballot, Consultation.Secretary, "委员外出培训", new Engine.Time.DurationSpec { WorkingDays = 2 })));

        Assert.True(extended.Succeeded, extended.Message);
        var snapshot = await host.Queries.GetAsync(id);
        var item = Assert.Single(snapshot!.WorkItems, w => w.BookmarkId == ballot);
        Assert.Equal(snapshot.State.FindBookmark(ballot)!.DueAt, item.DueAt);
        var after = await PendingTimersAsync(host, id);
        Assert.All(after.Where(t => t.BookmarkId == ballot), t => Assert.EndsWith("~2", t.TimerId, StringComparison.Ordinal));
        await using var db = await host.OpenDbAsync();
        Assert.Equal(before.Count(t => t.BookmarkId == ballot), await db.Timers.CountAsync(t => t.InstanceId == id && t.BookmarkId == ballot && t.Status == TimerStatus.Cancelled));
        Assert.Contains(await host.Queries.JournalAsync(id), e => e.Type == "DeadlineExtended" && e.DataJson.Contains("委员外出培训", StringComparison.Ordinal));
        Assert.Equal(13, await db.Notifications.CountAsync(n => n.InstanceId == id && n.Template == "deadline-extended"));
    }

    [Fact]
    public async Task An_outbox_delivery_is_claimed_once_and_suppressed_when_the_member_has_voted_since()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var reminder = (await PendingTimersAsync(host, id)).Single(t => t.Purpose == "reminder" && t.BookmarkId == ballot);
        host.Time.SetUtcNow(reminder.DueAt);
        Assert.True((await host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, new FireTimer(reminder.TimerId)))).Succeeded);
        // The e-mail delivery is one channel of the per-channel outbox, claimed the way the jobs host claims it.
        var outbox = new ChannelOutbox(host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(), host.Time);
        var sweep = host.Services.GetRequiredService<NotificationOutbox>();
        await using var db = await host.OpenDbAsync();
        var toVoter = await db.Notifications.Where(n => n.InstanceId == id && n.Template == "reminder").OrderBy(n => n.RecipientId).ToListAsync();
        var voted = toVoter[0];
        Assert.True((await flow.VoteAsync(id, ballot, voted.RecipientId, "consent")).Succeeded);

        var first = await outbox.ClaimAsync(toVoter[1].Id, DeliveryChannel.Email, TimeSpan.FromMinutes(1));
        var second = await outbox.ClaimAsync(toVoter[1].Id, DeliveryChannel.Email, TimeSpan.FromMinutes(1));
        var suppressed = await outbox.ClaimAsync(voted.Id, DeliveryChannel.Email, TimeSpan.FromMinutes(1));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Null(suppressed);
        Assert.Equal(DeliveryStatus.Suppressed, (await db.NotificationDeliveries.AsNoTracking().SingleAsync(d => d.NotificationId == voted.Id)).Status);

        // A failed attempt goes back to pending with a later attempt; the last one gives up and is listed for administrators.
        var retryAt = await outbox.MarkFailedAsync(first!.NotificationId, DeliveryChannel.Email, "m@example.org", "connection refused", first.Attempt, new RetryPolicy(2, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)), permanent: false, retryAfter: null);
        Assert.Equal(host.Time.GetUtcNow().AddSeconds(30), retryAt);
        Assert.DoesNotContain(first.NotificationId, await sweep.DueAsync(100));
        host.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Contains(first.NotificationId, await sweep.DueAsync(100));
        var retry = await outbox.ClaimAsync(first.NotificationId, DeliveryChannel.Email, TimeSpan.FromMinutes(1));
        Assert.Equal(2, retry!.Attempt);
        Assert.Null(await outbox.MarkFailedAsync(retry.NotificationId, DeliveryChannel.Email, "m@example.org", "connection refused again", retry.Attempt, new RetryPolicy(2, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)), permanent: false, retryAfter: null));
        var failed = Assert.Single(await sweep.FailedAsync());
        Assert.Equal(("connection refused again", 2), (failed.LastError, failed.Attempts));
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
