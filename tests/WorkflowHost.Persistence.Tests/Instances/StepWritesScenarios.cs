using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// The vote's writes are statements from the model rather than LINQ or the change tracker (<c>StepWrites</c>): what they store must read
/// back through EF Core exactly as EF Core would have written it (times, ids, nulls), and a stale version or a voter who
/// already voted must change nothing. Run once per provider.
/// </summary>
public abstract class StepWritesScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_vote_reads_back_as_written_and_a_stale_write_changes_nothing()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voter = (await flow.EligibleAsync())[0];
        host.Time.Advance(TimeSpan.FromMinutes(7));
        var votedAt = WorkflowCommands.StepTime(host.Time);

        int versionBefore;
        await using (var db = await host.OpenDbAsync())
        {
            versionBefore = (await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation)).Version;
        }

        Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);

        await using var read = await host.OpenDbAsync();
        var row = await read.BallotVoters.AsNoTracking().SingleAsync(v => v.InstanceId == id && v.BookmarkId == ballot && v.PersonId == voter, cancellation);
        Assert.Equal(VoterStatus.Voted, row.Status);
        Assert.Equal("consent", row.Choice);
        Assert.Equal(votedAt, row.RespondedAt);
        Assert.Null(row.Reason);
        var instance = await read.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Equal(versionBefore + 1, instance.Version);
        Assert.Equal(votedAt, instance.UpdatedAt);
        Assert.Null(instance.EndedAt);
        Assert.Contains(voter, instance.StateJson, StringComparison.Ordinal);
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);

        // Guarded: the voter already voted, and the version has moved on; the statements change no row, and a step whose
        // voter had already voted fails as a whole even when its version is current (its command rolls back with the step).
        await using var write = await host.OpenDbAsync();
        var again = new VoterUpdate(id, ballot, voter, votedAt, "object", null, null);
        Assert.Equal(0, await StepWrites.RecordVoteAsync(write, again, cancellation));
        Assert.False(await StepWrites.SaveStepAsync(write, State(id, versionBefore, "{}", 0, "", votedAt), [], [], null, [], cancellation));
        await using (var transaction = await write.Database.BeginTransactionAsync(cancellation))
        {
            Assert.False(await StepWrites.SaveStepAsync(write, State(id, instance.Version, "{}", 0, "", votedAt), [again], [], null, [], cancellation));
            await transaction.RollbackAsync(cancellation);
        }

        var unchanged = await write.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Equal(instance.StateJson, unchanged.StateJson);
        Assert.Equal("consent", (await write.BallotVoters.AsNoTracking().SingleAsync(v => v.InstanceId == id && v.PersonId == voter, cancellation)).Choice);
    }

    [Fact]
    public async Task A_state_written_without_its_status_leaves_the_status_result_and_end_as_stored()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var id = await new Consultation(host).SubmitAsync();
        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        var now = WorkflowCommands.StepTime(host.Time);
        var ended = now.AddMinutes(1);

        // Most steps (a vote that does not close its ballot) leave the status: the command does not set it, so SQLite does
        // not rewrite the status index's entry. Given a status anyway, it is not written.
        var kept = State(id, row.Version, "{\"kept\":1}", row.JournalSequence, row.JournalHead, now) with { Status = "completed", Result = "x", EndedAt = ended, StatusChanged = false };
        Assert.True(await StepWrites.SaveStepAsync(db, kept, [], [], null, [], cancellation));
        var afterKept = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Equal((row.Status, row.Result, row.EndedAt), (afterKept.Status, afterKept.Result, afterKept.EndedAt));
        Assert.Equal(("{\"kept\":1}", row.Version + 1), (afterKept.StateJson, afterKept.Version));

        var changed = kept with { ExpectedVersion = row.Version + 1, StatusChanged = true };
        Assert.True(await StepWrites.SaveStepAsync(db, changed, [], [], null, [], cancellation));
        var afterChanged = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Equal(("completed", "x", ended, row.Version + 2), (afterChanged.Status, afterChanged.Result, afterChanged.EndedAt, afterChanged.Version));
    }

    [Fact]
    public async Task A_vote_that_leaves_the_instance_running_does_not_set_its_status()
    {
        var sql = new SqlCommandCounter();
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync(), configure:
            services => services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(sql)));
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        sql.Reset();
        Assert.True((await flow.VoteAsync(id, ballot, (await flow.EligibleAsync())[0], "consent")).Succeeded);

        var instanceUpdate = sql.Commands.SelectMany(c => c.Split(';')).Single(s => s.Contains("UPDATE \"Instances\"", StringComparison.Ordinal));
        Assert.DoesNotContain("\"Status\"", instanceUpdate, StringComparison.Ordinal);
        Assert.DoesNotContain("\"EndedAt\"", instanceUpdate, StringComparison.Ordinal);
        Assert.Contains("\"StateJson\"", instanceUpdate, StringComparison.Ordinal);
    }

    /// <summary>
    /// The values of one execution are that execution's alone: the statements reuse their name-to-value table from one
    /// execution to the next (docs/benchmarks.md section 21a), including after one refused for a shared value given two
    /// different values.
    /// </summary>
    [Fact]
    public async Task Each_write_binds_its_own_values_after_many_and_after_a_refused_one()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var id = await new Consultation(host).SubmitAsync();
        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        var version = row.Version;
        for (var step = 0; step < 20; step++)
        {
            var now = WorkflowCommands.StepTime(host.Time).AddSeconds(step);
            var state = State(id, version, $$"""{"step":{{step}}}""", row.JournalSequence, row.JournalHead, now) with { Status = row.Status };
            if (step == 10)
            {
                // The instance's id is one value shared by the event's row and the state's: an event of another instance
                // gives it two values, refused before anything is sent.
                var stray = new JournalEvent
                {
                    InstanceId = Guid.NewGuid(), Sequence = 1, CommunityId = row.CommunityId, Type = "Stray", DataJson = "{}", OccurredAt = now,
                    PreviousHash = "", Hash = "x", HashScheme = 1,
                };
                await Assert.ThrowsAsync<InvalidOperationException>(() => StepWrites.SaveStepAsync(db, state, [], [stray], null, [], cancellation));
            }

            Assert.True(await StepWrites.SaveStepAsync(db, state, [], [], null, [], cancellation));
            version++;
            var stored = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
            Assert.Equal(($$"""{"step":{{step}}}""", version, now), (stored.StateJson, stored.Version, stored.UpdatedAt));
        }
    }

    private static StateUpdate State(Guid id, int expectedVersion, string stateJson, long sequence, string head, DateTimeOffset now) =>
        new(id, expectedVersion, System.Text.Encoding.UTF8.GetBytes(stateJson), "running", null, sequence, head, now, null);

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public async Task Journal_events_go_in_with_the_state_however_many_and_a_stale_version_still_counts_zero(int events)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var id = await new Consultation(host).SubmitAsync();
        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        var now = WorkflowCommands.StepTime(host.Time);
        var written = Enumerable.Range(1, events).Select(n => new JournalEvent
        {
            InstanceId = id, Sequence = row.JournalSequence + n, CommunityId = row.CommunityId, Type = "Test" + n, DataJson = $$"""{"n":{{n}}}""",
            OccurredAt = now, PreviousHash = "h" + (n - 1), Hash = "h" + n, HashScheme = 1,
        }).ToList();

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellation))
        {
            // A stale version: the events insert, the state does not; the caller's conflict then rolls both back.
            Assert.False(await StepWrites.SaveStepAsync(db, State(id, row.Version - 1, "{}", 0, "", now), [], written, null, [], cancellation));
            await transaction.RollbackAsync(cancellation);
        }

        var sequence = row.JournalSequence + events;
        var answer = new IdempotentCommand { Key = row.CommunityId + "/k-" + events, CommunityId = row.CommunityId, ResultJson = "{}", CreatedAt = now };
        // In a transaction, as WorkflowCommands writes any step: more events than one command takes cannot commit themselves
        // (decision 168, on PostgreSQL).
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellation))
        {
            Assert.True(await StepWrites.SaveStepAsync(db, State(id, row.Version, row.StateJson, sequence, "h" + events, now) with { Status = row.Status }, [], written, answer, [], cancellation));
            await transaction.CommitAsync(cancellation);
        }

        Assert.Equal("{}", (await db.IdempotentCommands.AsNoTracking().SingleAsync(c => c.Key == answer.Key, cancellation)).ResultJson);

        var stored = await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == id && e.Sequence > row.JournalSequence).OrderBy(e => e.Sequence).ToListAsync(cancellation);
        Assert.Equal(written.Select(e => (e.Sequence, e.Type, e.DataJson, e.OccurredAt, e.PreviousHash, e.Hash, e.HashScheme)),
            stored.Select(e => (e.Sequence, e.Type, e.DataJson, e.OccurredAt, e.PreviousHash, e.Hash, e.HashScheme)));
        var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Equal((row.Version + 1, sequence, "h" + events), (instance.Version, instance.JournalSequence, instance.JournalHead));
    }
}

public sealed class SqliteStepWritesTests : StepWritesScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlStepWritesTests : StepWritesScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
