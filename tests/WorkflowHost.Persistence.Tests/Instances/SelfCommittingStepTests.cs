using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// PostgreSQL's plain vote writes its one command outside a transaction, the command committing itself (decision 168).
/// A guard that finds its row unchanged (the version moved on, the voter no longer pending) must then abort the whole
/// command: none of the step's rows (voter, journal events, answer under the key, sealed choice) may stay behind, and the
/// caller hears of a lost race as before. Anything else (a vote that closes the ballot) keeps its transaction.
/// </summary>
public sealed class SelfCommittingStepTests
{
    [Fact]
    public async Task Two_writes_over_one_version_one_wins_and_the_loser_keeps_none_of_its_rows()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voters = await flow.EligibleAsync();
        var now = WorkflowCommands.StepTime(host.Time);

        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Null(db.Database.CurrentTransaction);

        // Both read version V. The winner writes first; the loser's journal event takes the next sequence but one, so no
        // key stops it early: its voter update and inserts run, then the state's guard finds the version gone.
        var winner = Step(row, ballot, voters[0], row.JournalSequence + 1, "k-winner", now);
        Assert.True(await StepWrites.SaveStepAsync(db, winner.State, [winner.Vote], [winner.Event], winner.Answer, [winner.Sealed], cancellation));
        var loser = Step(row, ballot, voters[1], row.JournalSequence + 2, "k-loser", now);
        Assert.False(await StepWrites.SaveStepAsync(db, loser.State, [loser.Vote], [loser.Event], loser.Answer, [loser.Sealed], cancellation));

        var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Equal((row.Version + 1, row.JournalSequence + 1, "winner"), (instance.Version, instance.JournalSequence, instance.JournalHead));
        Assert.Equal(VoterStatus.Voted, await VoterStatusAsync(db, id, ballot, voters[0]));
        Assert.Equal(VoterStatus.Pending, await VoterStatusAsync(db, id, ballot, voters[1]));
        Assert.False(await db.JournalEvents.AnyAsync(e => e.InstanceId == id && e.Sequence == row.JournalSequence + 2, cancellation));
        Assert.True(await db.JournalEvents.AnyAsync(e => e.InstanceId == id && e.Sequence == row.JournalSequence + 1, cancellation));
        Assert.False(await db.IdempotentCommands.AnyAsync(c => c.Key == loser.Answer.Key, cancellation));
        Assert.True(await db.IdempotentCommands.AnyAsync(c => c.Key == winner.Answer.Key, cancellation));
        Assert.False(await db.SealedChoices.AnyAsync(c => c.Id == loser.Sealed.Id, cancellation));
        Assert.True(await db.SealedChoices.AnyAsync(c => c.Id == winner.Sealed.Id, cancellation));
    }

    [Fact]
    public async Task A_write_whose_voter_already_voted_keeps_none_of_its_rows_though_its_version_is_current()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voter = (await flow.EligibleAsync())[0];
        Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);
        var now = WorkflowCommands.StepTime(host.Time);

        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        var again = Step(row, ballot, voter, row.JournalSequence + 1, "k-again", now);
        Assert.False(await StepWrites.SaveStepAsync(db, again.State, [again.Vote], [again.Event], again.Answer, [again.Sealed], cancellation));

        var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Equal((row.Version, row.JournalSequence, row.JournalHead, row.StateJson), (instance.Version, instance.JournalSequence, instance.JournalHead, instance.StateJson));
        Assert.Equal("consent", (await db.BallotVoters.AsNoTracking().SingleAsync(v => v.InstanceId == id && v.BookmarkId == ballot && v.PersonId == voter, cancellation)).Choice);
        Assert.False(await db.JournalEvents.AnyAsync(e => e.InstanceId == id && e.Sequence == row.JournalSequence + 1, cancellation));
        Assert.False(await db.IdempotentCommands.AnyAsync(c => c.Key == again.Answer.Key, cancellation));
        Assert.False(await db.SealedChoices.AnyAsync(c => c.Id == again.Sealed.Id, cancellation));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task Plain_votes_commit_without_a_transaction_the_closing_vote_in_one_and_a_replay_changes_nothing()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var transactions = new TransactionCounter();
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync(), configure:
            services => services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(transactions)));
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voters = await flow.EligibleAsync();

        transactions.Reset();
        var first = await flow.VoteAsync(id, ballot, voters[0], "consent", key: "vote-once");
        Assert.True(first.Succeeded, first.Message);
        Assert.Equal((0, 0), (transactions.Begun, transactions.Committed));

        // The same key again: the stored answer, nothing written, no transaction begun.
        var version = await VersionAsync(host, id);
        var replay = await flow.VoteAsync(id, ballot, voters[0], "consent", key: "vote-once");
        Assert.True(replay.Replayed);
        Assert.Equal((first.InstanceId, first.Status), (replay.InstanceId, replay.Status));
        Assert.Equal(version, await VersionAsync(host, id));
        Assert.Equal((0, 0), (transactions.Begun, transactions.Committed));

        // Vote on until the ballot closes: every vote before the closing one commits itself, the closing one (which
        // closes the work item and moves the process on) runs in a transaction, which its last command commits (decision
        // 180): no COMMIT of its own, so the interceptor sees the transaction begun and never a commit call.
        var closedBy = -1;
        for (var i = 1; i < voters.Count && closedBy < 0; i++)
        {
            transactions.Reset();
            Assert.True((await flow.VoteAsync(id, ballot, voters[i], "consent", key: "vote-" + i)).Succeeded);
            if (await BallotClosedAsync(host, id, ballot))
            {
                closedBy = i;
                Assert.Equal((1, 0), (transactions.Begun, transactions.Committed));
            }
            else
            {
                Assert.Equal((0, 0), (transactions.Begun, transactions.Committed));
            }
        }

        Assert.True(closedBy > 0, "The ballot never closed.");
        await using var db = await host.OpenDbAsync();
        Assert.Equal(closedBy + 1, await db.BallotVoters.CountAsync(v => v.InstanceId == id && v.BookmarkId == ballot && v.Status == VoterStatus.Voted, cancellation));
        Assert.Equal(closedBy + 1, await db.IdempotentCommands.CountAsync(c => c.Key.StartsWith(Consultation.Community + "/vote-"), cancellation));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    private static async Task<int> VersionAsync(WorkflowTestHost host, Guid id)
    {
        await using var db = await host.OpenDbAsync();
        return await db.Instances.Where(i => i.Id == id).Select(i => i.Version).SingleAsync();
    }

    private static async Task<bool> BallotClosedAsync(WorkflowTestHost host, Guid id, string ballot)
    {
        await using var db = await host.OpenDbAsync();
        return await db.WorkItems.AnyAsync(w => w.InstanceId == id && w.BookmarkId == ballot && w.Status == WorkItemStatus.Closed);
    }

    private static Task<string> VoterStatusAsync(WorkflowDbContext db, Guid id, string ballot, string voter) =>
        db.BallotVoters.AsNoTracking().Where(v => v.InstanceId == id && v.BookmarkId == ballot && v.PersonId == voter).Select(v => v.Status).SingleAsync();

    /// <summary>One vote's writes over the version read in <paramref name="row"/>: the head it writes is <paramref name="key"/>'s name.</summary>
    private static (StateUpdate State, VoterUpdate Vote, JournalEvent Event, IdempotentCommand Answer, SealedChoice Sealed) Step(
        WorkflowInstance row, string ballot, string voter, long sequence, string key, DateTimeOffset now)
    {
        var head = key["k-".Length..];
        return (
            new StateUpdate(row.Id, row.Version, System.Text.Encoding.UTF8.GetBytes(row.StateJson), row.Status, row.Result, sequence, head, now, row.EndedAt, StatusChanged: false),
            new VoterUpdate(row.Id, ballot, voter, now, "consent", null, null),
            new JournalEvent
            {
                InstanceId = row.Id, Sequence = sequence, CommunityId = row.CommunityId, Type = "Test", DataJson = "{}", OccurredAt = now,
                PreviousHash = row.JournalHead, Hash = head, HashScheme = 1,
            },
            new IdempotentCommand { Key = row.CommunityId + "/" + key, CommunityId = row.CommunityId, ResultJson = "{}", CreatedAt = now },
            new SealedChoice { Id = Guid.NewGuid(), InstanceId = row.Id, BookmarkId = ballot, CommunityId = row.CommunityId, Sealed = [1, 2, 3] });
    }

    /// <summary>Transactions begun and committed through EF Core since the last <see cref="Reset"/>.</summary>
    private sealed class TransactionCounter : DbTransactionInterceptor
    {
        private int _begun;
        private int _committed;

        public int Begun => Volatile.Read(ref _begun);

        public int Committed => Volatile.Read(ref _committed);

        public void Reset() => (_begun, _committed) = (0, 0);

        public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _begun);
            return base.TransactionStartedAsync(connection, eventData, result, cancellationToken);
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _committed);
            return base.TransactionCommittedAsync(transaction, eventData, cancellationToken);
        }
    }
}
