using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The writes every vote sends: the voter's row, the instance's versioned state with the step's journal events, the
/// answer kept under the idempotency key and, on a secret ballot, the sealed choice. As LINQ <c>ExecuteUpdate</c> and change-tracked inserts each cost an
/// expression tree, EF Core's parameter extraction, the cache's comparison of the tree and, for inserts, the change
/// tracker's modification commands (issue 18); EF Core 10 compiles neither. So each statement is written once per model
/// from the model's own table and column names and built once as EF Core's own relational command, whose parameters
/// convert each value through the property's type mapping (SQLite's ticks for times, its text for ids) as EF Core would
/// have. They run on the step's connection and transaction, seen by EF Core's interceptors and logging. The updates
/// return the rows they changed, so a lost race still shows as 0.
/// </summary>
internal static class StepWrites
{
    /// <summary>Votes and journal events written in the state's own command; a step with more (rare) writes the rest one command each.</summary>
    private const int VotesInOneCommand = 2;

    private const int EventsInOneCommand = 4;

    public static Task<int> RecordVoteAsync(WorkflowDbContext db, VoterUpdate vote, CancellationToken cancellationToken) =>
        Statements.For(db).Vote.ExecuteAsync(db, cancellationToken, VoteValues(vote));

    /// <summary>
    /// The step's writes in one command: the voters' rows (each guarded by "still pending"), the journal events (each
    /// inserts a row or fails on its key), the answer kept under the idempotency key and the sealed choices (likewise), then
    /// the state, guarded by its version. Answers whether every guarded row changed: false when another step got there first.
    /// </summary>
    public static async Task<bool> SaveStepAsync(WorkflowDbContext db, StateUpdate state, IReadOnlyList<VoterUpdate> votes, IReadOnlyList<JournalEvent> events,
        IdempotentCommand? answer, IReadOnlyList<SealedChoice> sealedChoices, CancellationToken cancellationToken)
    {
        var statements = Statements.For(db);
        var votesInOne = Math.Min(votes.Count, VotesInOneCommand);
        var eventsInOne = Math.Min(events.Count, EventsInOneCommand);
        for (var i = votesInOne; i < votes.Count; i++)
        {
            if (await RecordVoteAsync(db, votes[i], cancellationToken) != 1)
            {
                return false;
            }
        }

        for (var i = eventsInOne; i < events.Count; i++)
        {
            await statements.Journal.ExecuteAsync(db, cancellationToken, JournalValues(events[i]));
        }

        var sealedInOne = Math.Min(sealedChoices.Count, 1);
        for (var i = sealedInOne; i < sealedChoices.Count; i++)
        {
            await statements.Sealed.ExecuteAsync(db, cancellationToken, SealedValues(sealedChoices[i]));
        }

        var command = statements.Step(db, votesInOne, eventsInOne, answer is not null, sealedInOne == 1, state.StatusChanged);
        var values = new List<object?>(command.ParameterCount);
        for (var i = 0; i < votesInOne; i++)
        {
            values.AddRange(VoteValues(votes[i]));
        }

        for (var i = 0; i < eventsInOne; i++)
        {
            values.AddRange(JournalValues(events[i]));
        }

        if (answer is not null)
        {
            values.AddRange(AnswerValues(answer));
        }

        if (sealedInOne == 1)
        {
            values.AddRange(SealedValues(sealedChoices[0]));
        }

        values.AddRange(state.StatusChanged ? StateAndStatusValues(state) : StateValues(state));
        var expected = votesInOne + eventsInOne + (answer is null ? 0 : 1) + sealedInOne + 1;
        return await command.ExecuteAsync(db, cancellationToken, [.. values]) == expected;
    }

    private static object?[] VoteValues(VoterUpdate v) =>
        [VoterStatus.Voted, v.RespondedAt, v.Choice, v.Reason, v.EnteredBy, v.InstanceId, v.BookmarkId, v.VoterId, VoterStatus.Pending];

    private static object?[] JournalValues(JournalEvent e) =>
        [e.InstanceId, e.Sequence, e.CommunityId, e.Type, e.DataJson, e.OccurredAt, e.PreviousHash, e.Hash, e.HashScheme];

    private static object?[] AnswerValues(IdempotentCommand a) => [a.Key, a.CommunityId, a.ResultJson, a.CreatedAt];

    private static object?[] SealedValues(SealedChoice c) => [c.Id, c.InstanceId, c.BookmarkId, c.CommunityId, c.Sealed];

    private static object?[] StateAndStatusValues(StateUpdate s) =>
        [s.StateJson, s.Status, s.Result, s.ExpectedVersion + 1, s.JournalSequence, s.JournalHead, s.Now, s.EndedAt, s.InstanceId, s.ExpectedVersion];

    private static object?[] StateValues(StateUpdate s) =>
        [s.StateJson, s.ExpectedVersion + 1, s.JournalSequence, s.JournalHead, s.Now, s.InstanceId, s.ExpectedVersion];

    private sealed class Statements
    {
        private static readonly ConditionalWeakTable<IModel, Statements> PerModel = [];

        private readonly Statement _vote;
        private readonly Statement _journal;
        private readonly Statement _answer;
        private readonly Statement _sealed;
        private readonly Statement _stateAndStatus;
        private readonly Statement _state;
        private readonly PreparedStatement?[,,,,] _steps = new PreparedStatement?[VotesInOneCommand + 1, EventsInOneCommand + 1, 2, 2, 2];

        private Statements(DbContext db)
        {
            var writer = new StatementWriter(db);
            _vote = writer.Update<BallotVoter>(
                set: [nameof(BallotVoter.Status), nameof(BallotVoter.RespondedAt), nameof(BallotVoter.Choice), nameof(BallotVoter.Reason), nameof(BallotVoter.EnteredBy)],
                where: [nameof(BallotVoter.InstanceId), nameof(BallotVoter.BookmarkId), nameof(BallotVoter.PersonId), nameof(BallotVoter.Status)]);
            _journal = writer.Insert<JournalEvent>(
            [
                nameof(JournalEvent.InstanceId), nameof(JournalEvent.Sequence), nameof(JournalEvent.CommunityId), nameof(JournalEvent.Type),
                nameof(JournalEvent.DataJson), nameof(JournalEvent.OccurredAt), nameof(JournalEvent.PreviousHash), nameof(JournalEvent.Hash),
                nameof(JournalEvent.HashScheme),
            ]);
            _answer = writer.Insert<IdempotentCommand>(
                [nameof(IdempotentCommand.Key), nameof(IdempotentCommand.CommunityId), nameof(IdempotentCommand.ResultJson), nameof(IdempotentCommand.CreatedAt)]);
            _sealed = writer.Insert<SealedChoice>(
                [nameof(SealedChoice.Id), nameof(SealedChoice.InstanceId), nameof(SealedChoice.BookmarkId), nameof(SealedChoice.CommunityId), nameof(SealedChoice.Sealed)]);
            _stateAndStatus = writer.Update<WorkflowInstance>(
                set:
                [
                    nameof(WorkflowInstance.StateJson), nameof(WorkflowInstance.Status), nameof(WorkflowInstance.Result), nameof(WorkflowInstance.Version),
                    nameof(WorkflowInstance.JournalSequence), nameof(WorkflowInstance.JournalHead), nameof(WorkflowInstance.UpdatedAt), nameof(WorkflowInstance.EndedAt),
                ],
                where: [nameof(WorkflowInstance.Id), nameof(WorkflowInstance.Version)]);

            // SQLite rewrites the entry of every index holding a column the UPDATE sets, even to the value it had: setting
            // the status on every vote wrote a page of the (community, status, created) index for nothing (issue 18).
            _state = writer.Update<WorkflowInstance>(
                set:
                [
                    nameof(WorkflowInstance.StateJson), nameof(WorkflowInstance.Version), nameof(WorkflowInstance.JournalSequence),
                    nameof(WorkflowInstance.JournalHead), nameof(WorkflowInstance.UpdatedAt),
                ],
                where: [nameof(WorkflowInstance.Id), nameof(WorkflowInstance.Version)]);
            Vote = writer.Build([_vote]);
            Journal = writer.Build([_journal]);
            Sealed = writer.Build([_sealed]);
        }

        public static Statements For(DbContext db) => PerModel.GetValue(db.Model, _ => new Statements(db));

        public PreparedStatement Vote { get; }

        public PreparedStatement Journal { get; }

        public PreparedStatement Sealed { get; }

        /// <summary>
        /// A step's command for this many votes and events, with or without an answer and a sealed choice, setting the
        /// instance's status or leaving it: built the first time it is needed.
        /// </summary>
        public PreparedStatement Step(DbContext db, int votes, int events, bool answer, bool sealedChoice, bool statusChanged)
        {
            var (a, c, s) = (answer ? 1 : 0, sealedChoice ? 1 : 0, statusChanged ? 1 : 0);
            if (Volatile.Read(ref _steps[votes, events, a, c, s]) is { } built)
            {
                return built;
            }

            Statement[] parts =
            [
                .. Enumerable.Repeat(_vote, votes), .. Enumerable.Repeat(_journal, events), .. Enumerable.Repeat(_answer, a), .. Enumerable.Repeat(_sealed, c), statusChanged ? _stateAndStatus : _state,
            ];
            var command = new StatementWriter(db).Build(parts);
            Volatile.Write(ref _steps[votes, events, a, c, s], command);
            return command;
        }
    }

    /// <summary>One SQL statement with its columns' properties, in parameter order.</summary>
    private sealed record Statement(string Sql, IReadOnlyList<IProperty> Properties);

    /// <summary>Writes statements from the model's table and column names, in the provider's quoting.</summary>
    private sealed class StatementWriter(DbContext db)
    {
        private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();
        private readonly IRelationalCommandBuilderFactory _commands = db.GetService<IRelationalCommandBuilderFactory>();

        /// <summary><c>UPDATE table SET a = ?, … WHERE x = ? AND …</c></summary>
        public Statement Update<TEntity>(string[] set, string[] where)
        {
            var (table, properties) = Mapped<TEntity>([.. set, .. where]);
            var assignments = set.Select((_, i) => $"{Column(table, properties[i])} = {{{i}}}");
            var conditions = where.Select((_, i) => $"{Column(table, properties[set.Length + i])} = {{{set.Length + i}}}");
            return new Statement($"UPDATE {Table(table)} SET {string.Join(", ", assignments)} WHERE {string.Join(" AND ", conditions)}", properties);
        }

        /// <summary><c>INSERT INTO table (a, …) VALUES (?, …)</c></summary>
        public Statement Insert<TEntity>(string[] columns)
        {
            var (table, properties) = Mapped<TEntity>(columns);
            var names = properties.Select(p => Column(table, p));
            var values = columns.Select((_, i) => $"{{{i}}}");
            return new Statement($"INSERT INTO {Table(table)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)})", properties);
        }

        /// <summary>The statements as one command, their placeholders numbered on through the whole text.</summary>
        public PreparedStatement Build(Statement[] statements)
        {
            var builder = _commands.Create();
            var properties = new List<IProperty>();
            foreach (var statement in statements)
            {
                var placeholders = new object[statement.Properties.Count];
                for (var i = 0; i < placeholders.Length; i++)
                {
                    var name = "p" + properties.Count;
                    var property = statement.Properties[i];
                    builder.AddParameter(name, _sql.GenerateParameterName(name), property.GetRelationalTypeMapping(), property.IsNullable);
                    placeholders[i] = _sql.GenerateParameterNamePlaceholder(name);
                    properties.Add(property);
                }

                builder.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, statement.Sql, placeholders)).Append(_sql.StatementTerminator).AppendLine();
            }

            return new PreparedStatement(builder.Build(), [.. Enumerable.Range(0, properties.Count).Select(i => "p" + i)]);
        }

        private (StoreObjectIdentifier Table, IProperty[] Properties) Mapped<TEntity>(string[] names)
        {
            var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var properties = names.Select(name => entity.FindProperty(name) ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{name} is not mapped.")).ToArray();
            return (table, properties);
        }

        private string Column(StoreObjectIdentifier table, IProperty property) => _sql.DelimitIdentifier(property.GetColumnName(table)!);

        private string Table(StoreObjectIdentifier table) => _sql.DelimitIdentifier(table.Name, table.Schema);
    }

        /// <summary>A relational command built once; each run gives it the step's connection, context, logger and values.</summary>
    private sealed class PreparedStatement(IRelationalCommand command, string[] names)
    {
        public int ParameterCount => names.Length;

        public Task<int> ExecuteAsync(DbContext db, CancellationToken cancellationToken, params object?[] values)
        {
            var parameters = new Dictionary<string, object?>(names.Length);
            for (var i = 0; i < names.Length; i++)
            {
                parameters[names[i]] = values[i];
            }

            var connection = db.GetService<IRelationalConnection>();
            return command.ExecuteNonQueryAsync(
                new RelationalCommandParameterObject(connection, parameters, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>()),
                cancellationToken);
        }
    }
}

/// <summary>What a vote writes on its voter's row.</summary>
internal sealed record VoterUpdate(Guid InstanceId, string BookmarkId, string VoterId, DateTimeOffset? RespondedAt, string? Choice, string? Reason, string? EnteredBy);

/// <summary>
/// The instance's new state, written only over <see cref="ExpectedVersion"/>; its status, result and end only when
/// <see cref="StatusChanged"/> says one of them differs from the stored row.
/// </summary>
internal sealed record StateUpdate(
    Guid InstanceId, int ExpectedVersion, string StateJson, string Status, string? Result, long JournalSequence, string JournalHead, DateTimeOffset Now,
    DateTimeOffset? EndedAt, bool StatusChanged = true);
