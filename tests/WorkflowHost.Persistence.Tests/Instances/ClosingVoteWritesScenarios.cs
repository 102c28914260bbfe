using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// The vote that decides a ballot writes through prepared statements (<c>EffectWrites</c>, and the issued number and
/// document in the step's own command, <c>StepWrites</c>; decision 175) where it used LINQ <c>ExecuteUpdate</c>s, a raw
/// SQL query and the change tracker: each statement must touch only its own instance's rows, under the same conditions as
/// the LINQ it replaced (the row's key and the status it must still have), and store what reads back through EF Core as EF
/// Core would have written it. Run once per provider.
/// </summary>
public abstract class ClosingVoteWritesScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task The_deciding_vote_closes_cancels_issues_and_announces_for_its_own_instance_only()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var sql = new SqlCommandCounter();
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync(), configure:
            services => services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(sql)));
        await using (var setup = await host.OpenDbAsync())
        {
            // A group robot, so the decision is announced (and the ballot's activity looked up for it).
            setup.CommunityChannels.Add(new CommunityChannel { CommunityId = Consultation.Community, Channel = ChannelNames.WeCom, Enabled = true });
            await setup.SaveChangesAsync(cancellation);
        }

        var flow = new Consultation(host);
        var decided = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(decided);
        var bystander = await flow.SubmitAsync();
        Assert.Equal(ballot, await flow.AcceptAsync(bystander)); // the same bookmark id: only the instance tells the rows apart
        var eligible = await flow.EligibleAsync();
        foreach (var voter in eligible.Take(6))
        {
            Assert.True((await flow.VoteAsync(decided, ballot, voter, "consent")).Succeeded);
        }

        var bystanderBefore = await RowsOfAsync(host, bystander);
        var pendingBefore = (await RowsOfAsync(host, decided)).Timers.Where(t => t.Status == TimerStatus.Pending).Select(t => t.TimerId).ToList();
        Assert.NotEmpty(pendingBefore);
        host.Time.Advance(TimeSpan.FromMinutes(3));
        var decidedAt = WorkflowCommands.StepTime(host.Time);
        sql.Reset();

        var seventh = await flow.VoteAsync(decided, ballot, eligible[6], "consent");

        Assert.True(seventh.Succeeded, seventh.Message);
        Assert.Equal(Engine.Runtime.InstanceStatus.Completed, seventh.Status);
        var after = await RowsOfAsync(host, decided);
        var item = Assert.Single(after.Items, w => w.BookmarkId == ballot);
        Assert.Equal((WorkItemStatus.Closed, decidedAt, "Decided", null), (item.Status, item.ClosedAt, item.CloseReason, item.ClosedBy));
        Assert.NotNull(item.Outcome);
        Assert.All(after.Items, w => Assert.Equal(WorkItemStatus.Closed, w.Status));
        Assert.All(after.Timers.Where(t => pendingBefore.Contains(t.TimerId)), t => Assert.Equal(TimerStatus.Cancelled, t.Status));
        var number = Assert.Single(after.Numbers);
        Assert.Equal(("2026-0001", "reply-consent", decidedAt, Consultation.Community), (number.Number, number.ActivityId, number.IssuedAt, number.CommunityId));
        var document = Assert.Single(after.Documents);
        Assert.Equal((number.Number, number.Series, number.Year, decidedAt), (document.Number, document.Series, document.Year, document.IssuedAt));
        Assert.Contains("\"2026-0001\"", document.ContentJson, StringComparison.Ordinal);
        // The ballot's decision announced, its activity found by the ballot's bookmark (the ballot's opening was announced before).
        var announcement = Assert.Single(after.Notifications, n => n.Template == ChannelNames.AnnouncementTemplate && n.UniqueKey.EndsWith("/announce/decision/" + ballot, StringComparison.Ordinal));
        var data = JsonNode.Parse(announcement.DataJson)!;
        Assert.Equal(("decision", "committee-ballot"), (data["event"]!.GetValue<string>(), data["activity"]!.GetValue<string>()));
        Assert.Equal(announcement.CreatedAt, decidedAt);
        Assert.Equal([ChannelNames.WeCom], after.Deliveries.Where(d => d.NotificationId == announcement.Id).Select(d => d.Channel));
        Assert.True((await host.Queries.VerifyJournalAsync(decided)).Intact);

        // The number and the document go in the step's own command, with the state: no insert of their own.
        var stepCommand = Assert.Single(sql.Commands, c => c.Contains("UPDATE \"Instances\"", StringComparison.Ordinal));
        Assert.Contains("INSERT INTO \"IssuedNumbers\"", stepCommand, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO \"IssuedDocument\"", stepCommand, StringComparison.Ordinal);
        Assert.DoesNotContain(sql.Commands, c => c != stepCommand && c.Contains("INSERT INTO \"Issued", StringComparison.Ordinal));

        // The other instance at the same ballot: nothing of it changed.
        var bystanderAfter = await RowsOfAsync(host, bystander);
        Assert.Equal(Shape(bystanderBefore), Shape(bystanderAfter));
        Assert.Empty(bystanderAfter.Numbers);

        // Deciding it takes the series' next number; the first instance's rows stay as they were.
        foreach (var voter in eligible.Take(7))
        {
            Assert.True((await flow.VoteAsync(bystander, ballot, voter, "consent")).Succeeded);
        }

        Assert.Equal("2026-0002", Assert.Single((await RowsOfAsync(host, bystander)).Numbers).Number);
        Assert.Equal(Shape(after), Shape(await RowsOfAsync(host, decided)));
        await using var db = await host.OpenDbAsync();
        Assert.Equal(2, (await db.NumberSeries.AsNoTracking().SingleAsync(s => s.CommunityId == Consultation.Community && s.Series == number.Series, cancellation)).LastValue);
    }

    [Fact]
    public async Task Each_statement_changes_only_its_instance_s_rows_that_still_qualify()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var mine = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(mine);
        var other = await flow.SubmitAsync();
        await flow.AcceptAsync(other);
        var voter = (await flow.EligibleAsync())[0];
        var timers = (await RowsOfAsync(host, mine)).Timers.Where(t => t.Status == TimerStatus.Pending).Select(t => t.TimerId).ToList();
        Assert.True(timers.Count >= 2, $"expected the ballot's deadline and reminders, found {timers.Count} pending timers");
        var otherBefore = Shape(await RowsOfAsync(host, other));
        var at = WorkflowCommands.StepTime(host.Time).AddMinutes(5);
        var due = at.AddDays(3);

        await using (var db = await host.OpenDbAsync())
        {
            // Work items: only an open one of this instance, and only once.
            Assert.Equal(1, await EffectWrites.MoveDeadlineAsync(db, mine, ballot, due, cancellation));
            Assert.Equal(1, await EffectWrites.ChangeHoldingAsync(db, mine, ballot, "p-holder", "p-for", cancellation));
            Assert.Equal(1, await EffectWrites.ReassignAsync(db, mine, ballot, "person", "p-deputy", cancellation));
            Assert.Equal(1, await EffectWrites.CloseItemAsync(db, mine, ballot, at, "passed", null, "Decided", cancellation));
            Assert.Equal(0, await EffectWrites.CloseItemAsync(db, mine, ballot, at.AddMinutes(1), "rejected", "p-x", "Withdrawn", cancellation));
            Assert.Equal(0, await EffectWrites.MoveDeadlineAsync(db, mine, ballot, null, cancellation));
            Assert.Equal(0, await EffectWrites.ChangeHoldingAsync(db, mine, ballot, null, null, cancellation));
            Assert.Equal(0, await EffectWrites.ReassignAsync(db, mine, ballot, "role", "x", cancellation));
            Assert.Equal(0, await EffectWrites.CloseItemAsync(db, Guid.NewGuid(), ballot, at, "passed", null, "Decided", cancellation));

            // Voters: a pending one recuses once.
            Assert.Equal(1, await EffectWrites.RecuseAsync(db, mine, ballot, voter, at, "关联", cancellation));
            Assert.Equal(0, await EffectWrites.RecuseAsync(db, mine, ballot, voter, at, "again", cancellation));

            // Timers: the listed ones still pending, of this instance; an unknown id changes nothing.
            Assert.Equal(1, await EffectWrites.CancelTimersAsync(db, mine, [timers[0], "no-such-timer"], cancellation));
            Assert.Equal(timers.Count - 1, await EffectWrites.CancelTimersAsync(db, mine, timers, cancellation));
            Assert.Equal(0, await EffectWrites.CancelTimersAsync(db, mine, timers, cancellation));

            // A list longer than the kept statements is written for the call, the same way.
            Assert.Equal(0, await EffectWrites.CancelTimersAsync(db, mine, [.. Enumerable.Range(0, EffectWrites.KeptCancellationSize + 3).Select(i => "t" + i)], cancellation));

            // Counters: per community, series and year, created at 1.
            Assert.Equal(1, await EffectWrites.NextNumberAsync(db, Consultation.Community, "test-series", 2031, cancellation));
            Assert.Equal(2, await EffectWrites.NextNumberAsync(db, Consultation.Community, "test-series", 2031, cancellation));
            Assert.Equal(1, await EffectWrites.NextNumberAsync(db, Consultation.Community, "test-series", 2032, cancellation));
            Assert.Equal(1, await EffectWrites.NextNumberAsync(db, "elsewhere", "test-series", 2031, cancellation));
        }

        var rows = await RowsOfAsync(host, mine);
        var item = Assert.Single(rows.Items, w => w.BookmarkId == ballot);
        Assert.Equal(
            (WorkItemStatus.Closed, at, "passed", (string?)null, "Decided", due, "p-holder", "p-for", "person", "p-deputy"),
            (item.Status, item.ClosedAt, item.Outcome, item.ClosedBy, item.CloseReason, item.DueAt, item.HolderId, item.DelegateId, item.AssigneeKind, item.AssigneeValue));
        Assert.All(rows.Timers.Where(t => timers.Contains(t.TimerId)), t => Assert.Equal(TimerStatus.Cancelled, t.Status));
        var recused = Assert.Single(rows.Voters, v => v.PersonId == voter);
        Assert.Equal((VoterStatus.Recused, at, "关联"), (recused.Status, recused.RespondedAt, recused.RecusalReason));
        Assert.Equal(otherBefore, Shape(await RowsOfAsync(host, other)));

        // A timer's job: recorded once, only on a pending timer; read back only for timers that have one.
        var jobs = host.Services.GetRequiredService<TimerJobs>();
        var otherTimers = (await RowsOfAsync(host, other)).Timers.Select(t => t.TimerId).ToList();
        Assert.True(await jobs.SetJobIdAsync(other, otherTimers[0], "job-1", cancellation));
        Assert.False(await jobs.SetJobIdAsync(other, otherTimers[0], "job-2", cancellation));
        Assert.False(await jobs.SetJobIdAsync(mine, timers[0], "job-3", cancellation)); // cancelled
        Assert.Equal(new Dictionary<string, string> { [otherTimers[0]] = "job-1" }, await jobs.JobIdsAsync(other, otherTimers, cancellation));
        Assert.Empty(await jobs.JobIdsAsync(mine, [otherTimers[0]], cancellation));
    }

    [Fact]
    public async Task Numbers_and_documents_beyond_the_step_command_are_saved_with_the_step()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var id = await new Consultation(host).SubmitAsync();
        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        var now = WorkflowCommands.StepTime(host.Time);
        var numbers = Enumerable.Range(1, 3).Select(n => new IssuedNumber
        {
            CommunityId = row.CommunityId, Series = "test-letter", Number = $"L-{n}", Year = 2026, InstanceId = id, ActivityId = "letters", IssuedAt = now,
        }).ToList();
        var documents = numbers.Take(2).Select(n => new IssuedDocument
        {
            Id = Guid.NewGuid(), CommunityId = row.CommunityId, DocumentType = "letter", Series = n.Series, Year = n.Year, Number = n.Number,
            InstanceId = id, ActivityId = "letters", ContentJson = $$"""{"number":"{{n.Number}}"}""", IssuedAt = now,
        }).ToList();
        var state = new StateUpdate(id, row.Version, System.Text.Encoding.UTF8.GetBytes(row.StateJson), row.Status, row.Result, row.JournalSequence, row.JournalHead, now, row.EndedAt, StatusChanged: false);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellation))
        {
            Assert.True(await StepWrites.SaveStepAsync(db, state, [], [], null, [], numbers, documents, cancellation));
            Assert.True(db.ChangeTracker.HasChanges()); // what the command had no room for, as WorkflowCommands then saves it
            await db.SaveChangesAsync(cancellation);
            await transaction.CommitAsync(cancellation);
        }

        await using var read = await host.OpenDbAsync();
        Assert.Equal(["L-1", "L-2", "L-3"], await read.IssuedNumbers.AsNoTracking().Where(n => n.InstanceId == id).OrderBy(n => n.Number).Select(n => n.Number).ToListAsync(cancellation));
        var stored = await read.Set<IssuedDocument>().AsNoTracking().Where(d => d.InstanceId == id).OrderBy(d => d.Number).ToListAsync(cancellation);
        Assert.Equal(documents.Select(d => (d.Id, d.Number, d.ContentJson, d.IssuedAt)), stored.Select(d => (d.Id, d.Number, d.ContentJson, d.IssuedAt)));
    }

    private static async Task<Rows> RowsOfAsync(WorkflowTestHost host, Guid id)
    {
        await using var db = await host.OpenDbAsync();
        return new Rows(
            await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == id).OrderBy(w => w.BookmarkId).ToListAsync(),
            await db.Timers.AsNoTracking().Where(t => t.InstanceId == id).OrderBy(t => t.TimerId).ToListAsync(),
            await db.BallotVoters.AsNoTracking().Where(v => v.InstanceId == id).OrderBy(v => v.PersonId).ToListAsync(),
            await db.IssuedNumbers.AsNoTracking().Where(n => n.InstanceId == id).ToListAsync(),
            await db.Set<IssuedDocument>().AsNoTracking().Where(d => d.InstanceId == id).ToListAsync(),
            await db.Notifications.AsNoTracking().Where(n => n.InstanceId == id).ToListAsync(),
            await db.NotificationDeliveries.AsNoTracking().Where(d => db.Notifications.Any(n => n.Id == d.NotificationId && n.InstanceId == id)).ToListAsync());
    }

    /// <summary>What a statement could have changed, as comparable text.</summary>
    private static string Shape(Rows rows) => string.Join("\n",
        rows.Items.Select(w => $"item {w.BookmarkId} {w.Status} {w.ClosedAt:O} {w.Outcome} {w.ClosedBy} {w.CloseReason} {w.DueAt:O} {w.HolderId} {w.DelegateId} {w.AssigneeKind} {w.AssigneeValue}")
            .Concat(rows.Timers.Select(t => $"timer {t.TimerId} {t.Status} {t.JobId} {t.FiredAt:O}"))
            .Concat(rows.Voters.Select(v => $"voter {v.BookmarkId} {v.PersonId} {v.Status} {v.RespondedAt:O} {v.Choice} {v.RecusalReason}"))
            .Concat(rows.Numbers.Select(n => $"number {n.Number} {n.IssuedAt:O}"))
            .Concat(rows.Documents.Select(d => $"document {d.Number} {d.IssuedAt:O}")));

    private sealed record Rows(
        List<WorkItem> Items, List<WorkflowTimer> Timers, List<BallotVoter> Voters, List<IssuedNumber> Numbers, List<IssuedDocument> Documents,
        List<Notification> Notifications, List<NotificationDelivery> Deliveries);
}

public sealed class SqliteClosingVoteWritesTests : ClosingVoteWritesScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlClosingVoteWritesTests : ClosingVoteWritesScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
