using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// On PostgreSQL a step written outside a transaction commits itself, so it must fit StepWrites' one command (decision
/// 168). A step with more votes, journal events or sealed choices than that command holds would send the rest as
/// statements of their own, each committing on its own before the step's guards had run: StepWrites refuses such a
/// step before it sends anything. Read back on a connection of the test's own, nothing of the step may be in the database.
/// </summary>
public sealed class SelfCommittingStepRefusalTests
{
    [Theory]
    [InlineData(3, 1, 1)] // a vote more than the command holds
    [InlineData(1, 5, 1)] // a journal event more
    [InlineData(1, 1, 2)] // a sealed choice more
    public async Task A_step_too_big_for_one_command_is_refused_outside_a_transaction_and_leaves_no_row(int votes, int events, int sealedChoices)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var database = await PostgreSqlTestDatabase.CreateAsync(migrated: true);
        await using var host = await WorkflowTestHost.StartOwningAsync(database);
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voters = (await flow.EligibleAsync()).Take(votes).ToList();
        Assert.False(StepWrites.FitOneCommand(votes, events, sealedChoices));

        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        var step = new OversizedStep(row, ballot, voters, events, sealedChoices, WorkflowCommands.StepTime(host.Time));
        var before = await StoredAsync(database, step);
        Assert.Equal(new Stored(row.Version, row.JournalSequence, votes, 0, 0, 0), before);

        Assert.Null(db.Database.CurrentTransaction);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => step.SaveAsync(db, cancellation));
        Assert.Contains("decision 168", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await StoredAsync(database, step));

        // The same writes are sound in a transaction: what the refusal kept out would have been stored.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellation))
        {
            Assert.True(await step.SaveAsync(db, cancellation));
            await transaction.CommitAsync(cancellation);
        }

        Assert.Equal(new Stored(row.Version + 1, step.LastSequence, 0, events, 1, sealedChoices), await StoredAsync(database, step));
    }

    /// <summary>What the database holds of the step: the instance's version and journal position, and the step's rows.</summary>
    private sealed record Stored(int Version, long JournalSequence, long PendingVoters, long Events, long Answers, long SealedChoices);

    /// <summary>Read on a connection of its own, outside the host's pool and contexts.</summary>
    private static async Task<Stored> StoredAsync(PostgreSqlTestDatabase database, OversizedStep step)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT i."Version", i."JournalSequence",
              (SELECT count(*) FROM "BallotVoters" v WHERE v."InstanceId" = @id AND v."BookmarkId" = @ballot AND v."PersonId" = ANY(@voters) AND v."Status" = @pending),
              (SELECT count(*) FROM "JournalEvents" e WHERE e."InstanceId" = @id AND e."Sequence" > @sequence),
              (SELECT count(*) FROM "IdempotentCommands" c WHERE c."Key" = @key),
              (SELECT count(*) FROM "SealedChoices" s WHERE s."InstanceId" = @id)
            FROM "Instances" i WHERE i."Id" = @id
            """;
        command.Parameters.AddWithValue("id", step.Row.Id);
        command.Parameters.AddWithValue("ballot", step.Ballot);
        command.Parameters.AddWithValue("voters", step.Votes.Select(v => v.VoterId).ToArray());
        command.Parameters.AddWithValue("pending", VoterStatus.Pending);
        command.Parameters.AddWithValue("sequence", step.Row.JournalSequence);
        command.Parameters.AddWithValue("key", step.Answer.Key);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        return new Stored(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    /// <summary>A vote step over the version read in <paramref name="row"/> with more writes than one command holds.</summary>
    private sealed class OversizedStep
    {
        public OversizedStep(WorkflowInstance row, string ballot, IReadOnlyList<string> voters, int events, int sealedChoices, DateTimeOffset now)
        {
            Row = row;
            Ballot = ballot;
            Votes = [.. voters.Select(voter => new VoterUpdate(row.Id, ballot, voter, now, "consent", null, null))];
            LastSequence = row.JournalSequence + events;
            Events = [.. Enumerable.Range(1, events).Select(i => new JournalEvent
            {
                InstanceId = row.Id, Sequence = row.JournalSequence + i, CommunityId = row.CommunityId, Type = "Test", DataJson = "{}", OccurredAt = now,
                PreviousHash = i == 1 ? row.JournalHead : "e" + (i - 1), Hash = "e" + i, HashScheme = 1,
            })];
            Answer = new IdempotentCommand { Key = row.CommunityId + "/oversized", CommunityId = row.CommunityId, ResultJson = "{}", CreatedAt = now };
            Sealed = [.. Enumerable.Range(0, sealedChoices).Select(_ => new SealedChoice
            {
                Id = Guid.NewGuid(), InstanceId = row.Id, BookmarkId = ballot, CommunityId = row.CommunityId, Sealed = [1, 2, 3],
            })];
            State = new StateUpdate(
                row.Id, row.Version, System.Text.Encoding.UTF8.GetBytes(row.StateJson), row.Status, row.Result, LastSequence, "e" + events, now, row.EndedAt, StatusChanged: false);
        }

        public WorkflowInstance Row { get; }

        public string Ballot { get; }

        public IReadOnlyList<VoterUpdate> Votes { get; }

        public IReadOnlyList<JournalEvent> Events { get; }

        public IdempotentCommand Answer { get; }

        public IReadOnlyList<SealedChoice> Sealed { get; }

        public StateUpdate State { get; }

        public long LastSequence { get; }

        public Task<bool> SaveAsync(WorkflowDbContext db, CancellationToken cancellationToken) =>
            StepWrites.SaveStepAsync(db, State, Votes, Events, Answer, Sealed, cancellationToken);
    }
}
