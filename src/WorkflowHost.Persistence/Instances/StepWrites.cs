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
        // Outside a transaction (PostgreSQL's folded vote, decision 168) the command is its own transaction: its guards
        // raise an error when a row did not change, so the server rolls back every statement of it, not only the unchanged one.
        // SQLite always writes in the caller's transaction (or a group's); it is left as it was. Refused before any statement
        // is sent: the statements for what does not fit would each have committed on their own.
        var selfCommitting = db.Database.CurrentTransaction is null && db.Database.IsNpgsql();
        if (selfCommitting && !FitOneCommand(votes.Count, events.Count, sealedChoices.Count))
        {
            throw new InvalidOperationException("A step written outside a transaction must fit its one command (decision 168); this one needs a transaction.");
        }

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

        var command = statements.Step(db, votesInOne, eventsInOne, answer is not null, sealedInOne == 1, state.StatusChanged, selfCommitting);
        var values = new List<object?>(command.ValueCount);
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
        if (selfCommitting)
        {
            try
            {
                await command.ExecuteAsync(db, cancellationToken, [.. values]);
                return true;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == StepGuard.LostRace)
            {
                // A guard found its row changed by another step: the server rolled the whole command back.
                return false;
            }
        }

        var expected = votesInOne + eventsInOne + (answer is null ? 0 : 1) + sealedInOne + 1;
        return await command.ExecuteAsync(db, cancellationToken, [.. values]) == expected;
    }

    /// <summary>
    /// True when a step with this many votes, journal events and sealed choices sends its writes as one command, so that
    /// on PostgreSQL the command can commit itself (decision 168).
    /// </summary>
    public static bool FitOneCommand(int votes, int events, int sealedChoices) =>
        votes <= VotesInOneCommand && events <= EventsInOneCommand && sealedChoices <= 1;

    private static object?[] VoteValues(VoterUpdate v) =>
        [v.RespondedAt, v.Choice, v.Reason, v.EnteredBy, v.InstanceId, v.BookmarkId, v.VoterId];

    private static object?[] JournalValues(JournalEvent e) =>
        [e.InstanceId, e.Sequence, e.CommunityId, e.Type, e.DataJson, e.OccurredAt, e.PreviousHash, e.Hash, e.HashScheme];

    private static object?[] AnswerValues(IdempotentCommand a) => [a.Key, a.CommunityId, a.ResultJson, a.CreatedAt];

    private static object?[] SealedValues(SealedChoice c) => [c.Id, c.InstanceId, c.BookmarkId, c.CommunityId, c.Sealed];

    private static object?[] StateAndStatusValues(StateUpdate s) =>
        [s.StateUtf8, s.Status, s.Result, s.ExpectedVersion + 1, s.JournalSequence, s.JournalHead, s.Now, s.EndedAt, s.InstanceId, s.ExpectedVersion];

    private static object?[] StateValues(StateUpdate s) =>
        [s.StateUtf8, s.ExpectedVersion + 1, s.JournalSequence, s.JournalHead, s.Now, s.InstanceId, s.ExpectedVersion];

    private sealed class Statements
    {
        private static readonly ConditionalWeakTable<IModel, Statements> PerModel = [];

        private readonly Statement _vote;
        private readonly Statement _journal;
        private readonly Statement _answer;
        private readonly Statement _sealed;
        private readonly Statement _stateAndStatus;
        private readonly Statement _state;
        private readonly PreparedStatement?[,,,,,] _steps = new PreparedStatement?[VotesInOneCommand + 1, EventsInOneCommand + 1, 2, 2, 2, 2];

        private Statements(DbContext db)
        {
            var writer = new StatementWriter(db);
            // The statuses a vote moves between are part of the statement, not values: two parameters fewer to bind.
            _vote = writer.Update<BallotVoter>(
                set: [(nameof(BallotVoter.Status), VoterStatus.Voted), nameof(BallotVoter.RespondedAt), nameof(BallotVoter.Choice), nameof(BallotVoter.Reason), nameof(BallotVoter.EnteredBy)],
                where:
                [
                    (nameof(BallotVoter.InstanceId), Share.Instance), nameof(BallotVoter.BookmarkId), nameof(BallotVoter.PersonId),
                    (nameof(BallotVoter.Status), VoterStatus.Pending),
                ]);
            _journal = writer.Insert<JournalEvent>(
            [
                (nameof(JournalEvent.InstanceId), Share.Instance), nameof(JournalEvent.Sequence), (nameof(JournalEvent.CommunityId), Share.Community),
                nameof(JournalEvent.Type), nameof(JournalEvent.DataJson), (nameof(JournalEvent.OccurredAt), Share.Now), nameof(JournalEvent.PreviousHash),
                nameof(JournalEvent.Hash), (nameof(JournalEvent.HashScheme), Share.HashScheme),
            ]);
            _answer = writer.Insert<IdempotentCommand>(
            [
                nameof(IdempotentCommand.Key), (nameof(IdempotentCommand.CommunityId), Share.Community), nameof(IdempotentCommand.ResultJson),
                (nameof(IdempotentCommand.CreatedAt), Share.Now),
            ]);
            _sealed = writer.Insert<SealedChoice>(
            [
                nameof(SealedChoice.Id), (nameof(SealedChoice.InstanceId), Share.Instance), nameof(SealedChoice.BookmarkId),
                (nameof(SealedChoice.CommunityId), Share.Community), nameof(SealedChoice.Sealed),
            ]);
            _stateAndStatus = writer.Update<WorkflowInstance>(
                set:
                [
                    (nameof(WorkflowInstance.StateJson), Utf8Text: true), nameof(WorkflowInstance.Status), nameof(WorkflowInstance.Result), nameof(WorkflowInstance.Version),
                    nameof(WorkflowInstance.JournalSequence), nameof(WorkflowInstance.JournalHead), (nameof(WorkflowInstance.UpdatedAt), Share.Now),
                    nameof(WorkflowInstance.EndedAt),
                ],
                where: [(nameof(WorkflowInstance.Id), Share.Instance), nameof(WorkflowInstance.Version)]);

            // SQLite rewrites the entry of every index holding a column the UPDATE sets, even to the value it had: setting
            // the status on every vote wrote a page of the (community, status, created) index for nothing (issue 18).
            _state = writer.Update<WorkflowInstance>(
                set:
                [
                    (nameof(WorkflowInstance.StateJson), Utf8Text: true), nameof(WorkflowInstance.Version), nameof(WorkflowInstance.JournalSequence),
                    nameof(WorkflowInstance.JournalHead), (nameof(WorkflowInstance.UpdatedAt), Share.Now),
                ],
                where: [(nameof(WorkflowInstance.Id), Share.Instance), nameof(WorkflowInstance.Version)]);
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
        /// <remarks>
        /// <paramref name="guarded"/> (PostgreSQL outside a transaction, decision 168) wraps each guarded update so that a
        /// row left unchanged raises <see cref="StepGuard.LostRace"/>: the command, one implicit transaction, then keeps
        /// nothing. The statements and their order (voters, journal, answer, sealed choice, state) are the same either way.
        /// </remarks>
        public PreparedStatement Step(DbContext db, int votes, int events, bool answer, bool sealedChoice, bool statusChanged, bool guarded = false)
        {
            var (a, c, s, g) = (answer ? 1 : 0, sealedChoice ? 1 : 0, statusChanged ? 1 : 0, guarded ? 1 : 0);
            if (Volatile.Read(ref _steps[votes, events, a, c, s, g]) is { } built)
            {
                return built;
            }

            var vote = guarded ? _vote with { Sql = StepGuard.OneRowChanged(_vote.Sql) } : _vote;
            var state = statusChanged ? _stateAndStatus : _state;
            Statement[] parts =
            [
                .. Enumerable.Repeat(vote, votes), .. Enumerable.Repeat(_journal, events), .. Enumerable.Repeat(_answer, a), .. Enumerable.Repeat(_sealed, c),
                guarded ? state with { Sql = StepGuard.OneRowChanged(state.Sql) } : state,
            ];
            var command = new StatementWriter(db).Build(parts);
            Volatile.Write(ref _steps[votes, events, a, c, s, g], command);
            return command;
        }
    }

    /// <summary>
    /// Values a step writes in more than one of its statements. Microsoft.Data.Sqlite binds every parameter of a command
    /// to each of its statements in turn, converting each name to UTF-8 for every attempt: a value bound once for the whole
    /// command, not once per statement, is that many conversions, parameters and boxes fewer (issue 18).
    /// </summary>
    private enum Share
    {
        Instance,
        Community,
        Now,
        HashScheme,
    }

    /// <summary>
    /// A column of a statement: bound from a value, bound once per command (<see cref="Share"/>), or a constant in the text.
    /// A text column bound as its UTF-8 bytes (<see cref="Utf8Text"/>) is given a <c>byte[]</c> and the database turns it
    /// into text (decision 163): the state's JSON is serialised to UTF-8 once, never made a .NET string and converted again.
    /// </summary>
    private readonly record struct Column(string Name, Share? Shared = null, string? Constant = null, bool Utf8Text = false)
    {
        public static implicit operator Column(string name) => new(name);

        public static implicit operator Column((string Name, bool Utf8Text) utf8) => new(utf8.Name, Utf8Text: utf8.Utf8Text);

        public static implicit operator Column((string Name, Share Shared) shared) => new(shared.Name, shared.Shared);

        public static implicit operator Column((string Name, string Constant) constant) => new(constant.Name, Constant: constant.Constant);
    }

    /// <summary>
    /// The guard of a self-committing step (PostgreSQL, decision 168): an update run as a data-modifying CTE whose
    /// changed rows are counted and handed to <c>workflowhost_step_guard</c>, a function (migration StepGuardFunction)
    /// that raises <see cref="LostRace"/> unless exactly one changed. The count is read from the CTE at run time, never a
    /// constant the planner could fold; the function is volatile, so it is called once per execution.
    /// </summary>
    internal static class StepGuard
    {
        /// <summary>The SQLSTATE the guard raises: its own, so nothing else the server reports is taken for a lost race.</summary>
        public const string LostRace = "WH409";

        public const string Function = "workflowhost_step_guard";

        /// <summary>An <c>UPDATE …</c> as the guarded statement.</summary>
        public static string OneRowChanged(string update) => $"WITH changed AS ({update} RETURNING 1) SELECT {Function}(count(*)) FROM changed";
    }

    /// <summary>One SQL statement with the properties of its bound columns, in value order, and whether each is shared.</summary>
    private sealed record Statement(string Sql, IReadOnlyList<IProperty> Properties, IReadOnlyList<Share?> Shares, IReadOnlyList<bool> Utf8Text);

    /// <summary>Writes statements from the model's table and column names, in the provider's quoting.</summary>
    private sealed class StatementWriter(DbContext db)
    {
        private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();
        private readonly IRelationalCommandBuilderFactory _commands = db.GetService<IRelationalCommandBuilderFactory>();
        private readonly bool _sqlite = db.Database.IsSqlite();

        /// <summary>
        /// A UTF-8 value made text by the database: SQLite's <c>CAST(blob AS TEXT)</c> takes the bytes as they are (its
        /// text is UTF-8) and stores TEXT, not a BLOB; PostgreSQL's <c>convert_from(bytea, 'UTF8')</c> checks and converts them.
        /// </summary>
        private string AsText(string placeholder) => _sqlite ? $"CAST({placeholder} AS TEXT)" : $"convert_from({placeholder}, 'UTF8')";

        private RelationalTypeMapping Utf8Mapping => new ByteArrayTypeMapping(_sqlite ? "BLOB" : "bytea", System.Data.DbType.Binary);

        /// <summary><c>UPDATE table SET a = ?, … WHERE x = ? AND …</c></summary>
        public Statement Update<TEntity>(Column[] set, Column[] where)
        {
            var (table, properties) = Mapped<TEntity>([.. set, .. where]);
            var values = new ValueList(properties);
            var assignments = set.Select((column, i) => $"{ColumnName(table, properties[i])} = {values.Next(column, properties[i])}").ToList();
            var conditions = where.Select((column, i) => $"{ColumnName(table, properties[set.Length + i])} = {values.Next(column, properties[set.Length + i])}").ToList();
            return values.Statement($"UPDATE {Table(table)} SET {string.Join(", ", assignments)} WHERE {string.Join(" AND ", conditions)}");
        }

        /// <summary><c>INSERT INTO table (a, …) VALUES (?, …)</c></summary>
        public Statement Insert<TEntity>(Column[] columns)
        {
            var (table, properties) = Mapped<TEntity>(columns);
            var values = new ValueList(properties);
            var names = properties.Select(p => ColumnName(table, p)).ToList();
            var placed = columns.Select((column, i) => values.Next(column, properties[i])).ToList();
            return values.Statement($"INSERT INTO {Table(table)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", placed)})");
        }

        /// <summary>
        /// The statements as one command, their placeholders numbered on through the whole text; a shared value's
        /// placeholder is the parameter its first statement bound.
        /// </summary>
        public PreparedStatement Build(Statement[] statements)
        {
            var builder = _commands.Create();
            var names = new List<string>();
            var slots = new List<int>();
            var shared = new Dictionary<Share, (int Parameter, RelationalTypeMapping Mapping)>();
            foreach (var statement in statements)
            {
                var placeholders = new object[statement.Properties.Count];
                for (var i = 0; i < placeholders.Length; i++)
                {
                    var property = statement.Properties[i];
                    var mapping = statement.Utf8Text[i] ? Utf8Mapping : property.GetRelationalTypeMapping();
                    // One value in two columns is bound once only where both convert it alike (the same store type and
                    // converter); otherwise each column keeps its own parameter, as before sharing.
                    if (statement.Shares[i] is { } share && shared.TryGetValue(share, out var first)
                        && first.Mapping.StoreType == mapping.StoreType && first.Mapping.Converter?.GetType() == mapping.Converter?.GetType())
                    {
                        slots.Add(first.Parameter);
                        placeholders[i] = _sql.GenerateParameterNamePlaceholder(names[first.Parameter]);
                        continue;
                    }

                    var name = "p" + names.Count;
                    builder.AddParameter(name, _sql.GenerateParameterName(name), mapping, property.IsNullable);
                    placeholders[i] = statement.Utf8Text[i] ? AsText(_sql.GenerateParameterNamePlaceholder(name)) : _sql.GenerateParameterNamePlaceholder(name);
                    if (statement.Shares[i] is { } firstShare)
                    {
                        shared.TryAdd(firstShare, (names.Count, mapping));
                    }

                    slots.Add(names.Count);
                    names.Add(name);
                }

                builder.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, statement.Sql, placeholders)).Append(_sql.StatementTerminator).AppendLine();
            }

            return new PreparedStatement(builder.Build(), [.. names], [.. slots]);
        }

        private (StoreObjectIdentifier Table, IProperty[] Properties) Mapped<TEntity>(Column[] columns)
        {
            var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var properties = columns.Select(c => entity.FindProperty(c.Name) ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{c.Name} is not mapped.")).ToArray();
            return (table, properties);
        }

        private string ColumnName(StoreObjectIdentifier table, IProperty property) => _sql.DelimitIdentifier(property.GetColumnName(table)!);

        private string Table(StoreObjectIdentifier table) => _sql.DelimitIdentifier(table.Name, table.Schema);
    }

    /// <summary>A statement's bound columns in order, as <c>{n}</c> placeholders; a constant is written as the column's SQL literal.</summary>
    private sealed class ValueList(IProperty[] columns)
    {
        private readonly List<IProperty> _bound = new(columns.Length);
        private readonly List<Share?> _shares = new(columns.Length);
        private readonly List<bool> _utf8 = new(columns.Length);

        public string Next(Column column, IProperty property)
        {
            if (column.Constant is { } constant)
            {
                return property.GetRelationalTypeMapping().GenerateSqlLiteral(constant);
            }

            if (column.Utf8Text && column.Shared is not null)
            {
                throw new InvalidOperationException($"{property.Name} is bound as UTF-8 and cannot be shared.");
            }

            _bound.Add(property);
            _shares.Add(column.Shared);
            _utf8.Add(column.Utf8Text);
            return $"{{{_bound.Count - 1}}}";
        }

        public Statement Statement(string sql) => new(sql, [.. _bound], [.. _shares], [.. _utf8]);
    }

    /// <summary>
    /// A relational command built once; each run gives it the step's connection, context, logger and values, one for each
    /// of its statements' bound columns (<paramref name="slots"/> names each one's parameter; a shared one is given again).
    /// </summary>
    private sealed class PreparedStatement(IRelationalCommand command, string[] names, int[] slots)
    {
        /// <summary>Equal and stored alike: <see cref="DateTimeOffset.Equals(DateTimeOffset)"/> ignores the offset, which is stored.</summary>
        private static bool SameValue(object? first, object? second) =>
            first is DateTimeOffset a && second is DateTimeOffset b ? a.EqualsExact(b) : Equals(first, second);

        public int ValueCount => slots.Length;

        public Task<int> ExecuteAsync(DbContext db, CancellationToken cancellationToken, params object?[] values)
        {
            if (values.Length != slots.Length)
            {
                throw new ArgumentException($"The command takes {slots.Length} values, not {values.Length}.", nameof(values));
            }

            var parameters = new Dictionary<string, object?>(names.Length);
            for (var i = 0; i < slots.Length; i++)
            {
                var name = names[slots[i]];
                if (!parameters.TryAdd(name, values[i]) && !SameValue(parameters[name], values[i]))
                {
                    // Shared values are one value by construction (one step's instance, community, time); a difference is a bug.
                    throw new InvalidOperationException($"Parameter {name} is shared by the step's statements but was given {parameters[name]} and {values[i]}.");
                }
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
/// <see cref="StatusChanged"/> says one of them differs from the stored row. The state is its JSON as UTF-8, stored as text.
/// </summary>
internal sealed record StateUpdate(
    Guid InstanceId, int ExpectedVersion, byte[] StateUtf8, string Status, string? Result, long JournalSequence, string JournalHead, DateTimeOffset Now,
    DateTimeOffset? EndedAt, bool StatusChanged = true);
