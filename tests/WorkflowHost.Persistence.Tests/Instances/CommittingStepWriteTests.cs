using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// On PostgreSQL a step in a transaction ends its last write command with the COMMIT when nothing is left to save
/// (decision 180), so the number series' row lock it took is held for one round trip less. The guarantees of a number
/// must hold as they did with a COMMIT of its own: committed with the step's rows when the write succeeds; given back,
/// with every row of the step, when a guard finds its row changed (the series stays gapless); and when the change
/// tracker still has rows, the command does not commit, so the caller's save goes into the same transaction.
/// </summary>
public sealed class CommittingStepWriteTests
{
    private const string Series = "test-letter";

    [Fact]
    public async Task A_write_that_commits_keeps_its_number_and_rows_once_the_transaction_is_disposed()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync());
        var id = await new Consultation(host).SubmitAsync();
        var row = await RowAsync(host, id);

        await using (var db = await host.OpenDbAsync())
        await using (await db.Database.BeginTransactionAsync(cancellation))
        {
            var number = await EffectWrites.NextNumberAsync(db, row.CommunityId, Series, 2026, cancellation);
            var (state, events, numbers, documents) = Step(host, row, row.Version, [number]);

            var written = await StepWrites.SaveStepAsync(db, state, [], events, null, [], numbers, documents, commitWithWrite: true, cancellation);

            Assert.Equal(StepWritten.AndCommitted, written);
        }

        // Disposing the completed transaction rolled nothing back: the number, its register rows, the event and the state are kept.
        await using var read = await host.OpenDbAsync();
        Assert.Equal(1, await LastValueAsync(read, row.CommunityId));
        Assert.Equal(["N-1"], await read.IssuedNumbers.AsNoTracking().Where(n => n.InstanceId == id).Select(n => n.Number).ToListAsync(cancellation));
        Assert.True(await read.Set<IssuedDocument>().AnyAsync(d => d.InstanceId == id && d.Number == "N-1", cancellation));
        Assert.True(await read.JournalEvents.AnyAsync(e => e.InstanceId == id && e.Sequence == row.JournalSequence + 1, cancellation));
        Assert.Equal(row.Version + 1, (await RowAsync(host, id)).Version);
    }

    [Fact]
    public async Task A_committing_write_that_loses_its_race_gives_its_number_back()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync());
        var id = await new Consultation(host).SubmitAsync();
        var row = await RowAsync(host, id);

        await using (var db = await host.OpenDbAsync())
        await using (await db.Database.BeginTransactionAsync(cancellation))
        {
            var number = await EffectWrites.NextNumberAsync(db, row.CommunityId, Series, 2026, cancellation);
            // Written over a version that is gone: the state's guard raises, the server skips the COMMIT.
            var (state, events, numbers, documents) = Step(host, row, row.Version - 1, [number]);

            var written = await StepWrites.SaveStepAsync(db, state, [], events, null, [], numbers, documents, commitWithWrite: true, cancellation);

            Assert.Equal(StepWritten.LostRace, written);
        }

        await using var read = await host.OpenDbAsync();
        Assert.Equal(0, await LastValueAsync(read, row.CommunityId));
        Assert.False(await read.IssuedNumbers.AnyAsync(n => n.InstanceId == id, cancellation));
        Assert.False(await read.Set<IssuedDocument>().AnyAsync(d => d.InstanceId == id, cancellation));
        Assert.False(await read.JournalEvents.AnyAsync(e => e.InstanceId == id && e.Sequence == row.JournalSequence + 1, cancellation));
        var after = await RowAsync(host, id);
        Assert.Equal((row.Version, row.StateJson), (after.Version, after.StateJson));

        // The number given back is the next one handed out: no gap.
        await using var again = await host.OpenDbAsync();
        await using var transaction = await again.Database.BeginTransactionAsync(cancellation);
        Assert.Equal(1, await EffectWrites.NextNumberAsync(again, row.CommunityId, Series, 2026, cancellation));
    }

    [Fact]
    public async Task A_write_with_rows_left_for_the_change_tracker_does_not_commit()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync());
        var id = await new Consultation(host).SubmitAsync();
        var row = await RowAsync(host, id);

        await using (var db = await host.OpenDbAsync())
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellation))
        {
            // Three numbers: the command has room for two, the third goes to the change tracker.
            var (state, events, numbers, documents) = Step(host, row, row.Version, [1, 2, 3]);

            var written = await StepWrites.SaveStepAsync(db, state, [], events, null, [], numbers, documents, commitWithWrite: true, cancellation);

            Assert.Equal(StepWritten.Written, written);
            Assert.True(db.ChangeTracker.HasChanges());
            await db.SaveChangesAsync(cancellation);
            await transaction.CommitAsync(cancellation);
        }

        await using var read = await host.OpenDbAsync();
        Assert.Equal(["N-1", "N-2", "N-3"], await read.IssuedNumbers.AsNoTracking().Where(n => n.InstanceId == id).OrderBy(n => n.Number).Select(n => n.Number).ToListAsync(cancellation));
    }

    private static (StateUpdate State, JournalEvent[] Events, IssuedNumber[] Numbers, IssuedDocument[] Documents) Step(
        WorkflowTestHost host, WorkflowInstance row, int expectedVersion, long[] taken)
    {
        var now = WorkflowCommands.StepTime(host.Time);
        var numbers = taken.Select(n => new IssuedNumber
        {
            CommunityId = row.CommunityId, Series = Series, Number = $"N-{n}", Year = 2026, InstanceId = row.Id, ActivityId = "letters", IssuedAt = now,
        }).ToArray();
        var document = new IssuedDocument
        {
            Id = Guid.NewGuid(), CommunityId = row.CommunityId, DocumentType = "letter", Series = Series, Year = 2026, Number = numbers[0].Number,
            InstanceId = row.Id, ActivityId = "letters", ContentJson = $$"""{"number":"{{numbers[0].Number}}"}""", IssuedAt = now,
        };
        var sequence = row.JournalSequence + 1;
        var journal = new JournalEvent
        {
            InstanceId = row.Id, Sequence = sequence, CommunityId = row.CommunityId, Type = "Test", DataJson = "{}", OccurredAt = now,
            PreviousHash = row.JournalHead, Hash = "h" + sequence, HashScheme = 1,
        };
        var state = new StateUpdate(row.Id, expectedVersion, System.Text.Encoding.UTF8.GetBytes(row.StateJson), row.Status, row.Result, sequence, journal.Hash, now, row.EndedAt, StatusChanged: false);
        return (state, [journal], numbers, [document]);
    }

    private static async Task<WorkflowInstance> RowAsync(WorkflowTestHost host, Guid id)
    {
        await using var db = await host.OpenDbAsync();
        return await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id);
    }

    private static async Task<long> LastValueAsync(WorkflowDbContext db, string communityId) =>
        await db.NumberSeries.AsNoTracking().Where(s => s.CommunityId == communityId && s.Series == Series).Select(s => (long?)s.LastValue).SingleOrDefaultAsync() ?? 0;
}
