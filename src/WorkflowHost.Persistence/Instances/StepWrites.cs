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

    /// <summary>
    /// Rows of the register of issued numbers and issued documents written in the state's own command (decision 175): the
    /// deciding vote issues the reply's number and document. A step that issues more (a register's letters) leaves the
    /// rest to the change tracker, saved with the step as before.
    /// </summary>
    private const int NumbersInOneCommand = 2;

    private const int DocumentsInOneCommand = 1;

    /// <summary>The voter's guarded update as the host sends it (the self-committing step wraps the same statement, decision 168).</summary>
    internal static string VoteSql(DbContext db) => Statements.For(db).Vote.Sql;

    public static Task<int> RecordVoteAsync(WorkflowDbContext db, VoterUpdate vote, CancellationToken cancellationToken)
    {
        var statement = Statements.For(db).Vote;
        var values = new Values(statement.ValueCount);
        Vote(ref values, vote);
        return statement.ExecuteAsync(db, cancellationToken, values.All);
    }

    /// <summary>
    /// The step's writes in one command: the voters' rows (each guarded by "still pending"), the journal events (each
    /// inserts a row or fails on its key), the answer kept under the idempotency key and the sealed choices (likewise), then
    /// the state, guarded by its version. Answers whether every guarded row changed: false when another step got there first.
    /// </summary>
    public static Task<bool> SaveStepAsync(WorkflowDbContext db, StateUpdate state, IReadOnlyList<VoterUpdate> votes, IReadOnlyList<JournalEvent> events,
        IdempotentCommand? answer, IReadOnlyList<SealedChoice> sealedChoices, CancellationToken cancellationToken) =>
        SaveStepAsync(db, state, votes, events, answer, sealedChoices, [], [], cancellationToken);

    /// <summary>
    /// The step's writes in one command, as above, with the numbers and documents the step issued (each inserts a row or
    /// fails on its key), before the state.
    /// </summary>
    public static async Task<bool> SaveStepAsync(WorkflowDbContext db, StateUpdate state, IReadOnlyList<VoterUpdate> votes, IReadOnlyList<JournalEvent> events,
        IdempotentCommand? answer, IReadOnlyList<SealedChoice> sealedChoices, IReadOnlyList<IssuedNumber> numbers, IReadOnlyList<IssuedDocument> documents,
        CancellationToken cancellationToken) =>
        await SaveStepAsync(db, state, votes, events, answer, sealedChoices, numbers, documents, commitWithWrite: false, cancellationToken) != StepWritten.LostRace;

    /// <summary>
    /// The step's writes in one command, as above. <paramref name="commitWithWrite"/> (the caller owns the transaction and
    /// writes nothing after this): on PostgreSQL in a transaction, with nothing left for the change tracker, the command is
    /// the guarded one of decision 168 followed by <c>COMMIT</c>, so the step's last round trip also ends its transaction
    /// (decision 180). A guard or a key that fails raises an error, the server skips the COMMIT and the transaction stays
    /// open and aborted for the caller to roll back, as a lost race always was.
    /// </summary>
    public static async Task<StepWritten> SaveStepAsync(WorkflowDbContext db, StateUpdate state, IReadOnlyList<VoterUpdate> votes, IReadOnlyList<JournalEvent> events,
        IdempotentCommand? answer, IReadOnlyList<SealedChoice> sealedChoices, IReadOnlyList<IssuedNumber> numbers, IReadOnlyList<IssuedDocument> documents,
        bool commitWithWrite, CancellationToken cancellationToken)
    {
        // Outside a transaction (PostgreSQL's folded vote, decision 168) the command is its own transaction: its guards
        // raise an error when a row did not change, so the server rolls back every statement of it, not only the unchanged one.
        // SQLite always writes in the caller's transaction (or a group's); it is left as it was. Refused before any statement
        // is sent: the statements for what does not fit would each have committed on their own.
        var selfCommitting = db.Database.CurrentTransaction is null && db.OnPostgreSql;
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
                return StepWritten.LostRace;
            }
        }

        for (var i = eventsInOne; i < events.Count; i++)
        {
            var journal = new Values(statements.Journal.ValueCount);
            Journal(ref journal, events[i]);
            await statements.Journal.ExecuteAsync(db, cancellationToken, journal.All);
        }

        var sealedInOne = Math.Min(sealedChoices.Count, 1);
        for (var i = sealedInOne; i < sealedChoices.Count; i++)
        {
            var sealedChoice = new Values(statements.Sealed.ValueCount);
            Sealed(ref sealedChoice, sealedChoices[i]);
            await statements.Sealed.ExecuteAsync(db, cancellationToken, sealedChoice.All);
        }

        // What the command has no room for is saved by the change tracker with the rest of the step (a transaction's step only:
        // a self-committing one issues nothing, EffectApplier.WritesOnlyTheStepCommand).
        var numbersInOne = Math.Min(numbers.Count, NumbersInOneCommand);
        var documentsInOne = Math.Min(documents.Count, DocumentsInOneCommand);
        if ((numbers.Count > numbersInOne || documents.Count > documentsInOne) && selfCommitting)
        {
            throw new InvalidOperationException("A step written outside a transaction must fit its one command (decision 168); this one needs a transaction.");
        }

        for (var i = numbersInOne; i < numbers.Count; i++)
        {
            db.IssuedNumbers.Add(numbers[i]);
        }

        for (var i = documentsInOne; i < documents.Count; i++)
        {
            db.Set<IssuedDocument>().Add(documents[i]);
        }

        // Only now is it known whether anything is left for the change tracker (numbers and documents beyond the command,
        // rows other effects added): then the caller still saves and commits after this command.
        var committing = commitWithWrite && !selfCommitting && db.Database.CurrentTransaction is not null && db.OnPostgreSql
            && !db.ChangeTracker.HasChanges();
        var mode = selfCommitting ? StepMode.SelfCommitting : committing ? StepMode.Committing : StepMode.InTransaction;
        var command = statements.Step(db, votesInOne, eventsInOne, answer is not null, sealedInOne == 1, state.StatusChanged, mode, numbersInOne, documentsInOne);
        var values = new Values(command.ValueCount);
        for (var i = 0; i < votesInOne; i++)
        {
            Vote(ref values, votes[i]);
        }

        for (var i = 0; i < eventsInOne; i++)
        {
            Journal(ref values, events[i]);
        }

        if (answer is not null)
        {
            values.Add(answer.Key, answer.CommunityId, answer.ResultJson, answer.CreatedAt);
        }

        if (sealedInOne == 1)
        {
            Sealed(ref values, sealedChoices[0]);
        }

        for (var i = 0; i < numbersInOne; i++)
        {
            var n = numbers[i];
            values.Add(n.CommunityId, n.Series, n.Number, n.Year, n.InstanceId, n.ActivityId, n.IssuedAt);
        }

        for (var i = 0; i < documentsInOne; i++)
        {
            var d = documents[i];
            values.Add(d.Id, d.CommunityId, d.DocumentType, d.Series, d.Year, d.Number, d.InstanceId, d.ActivityId, d.ContentJson, d.IssuedAt);
        }

        if (state.StatusChanged)
        {
            values.Add(state.StateUtf8, state.Status, state.Result, state.ExpectedVersion + 1, state.JournalSequence, state.JournalHead, state.Now, state.EndedAt,
                state.InstanceId, state.ExpectedVersion);
        }
        else
        {
            values.Add(state.StateUtf8, state.ExpectedVersion + 1, state.JournalSequence, state.JournalHead, state.Now, state.InstanceId, state.ExpectedVersion);
        }
        if (mode != StepMode.InTransaction)
        {
            try
            {
                await command.ExecuteAsync(db, cancellationToken, values.All);
                return committing ? StepWritten.AndCommitted : StepWritten.Written;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == StepGuard.LostRace)
            {
                // A guard found its row changed by another step: the server rolled the whole command back (self-committing)
                // or left the transaction aborted, its COMMIT never run (committing), for the caller to roll back.
                return StepWritten.LostRace;
            }
        }

        var expected = votesInOne + eventsInOne + (answer is null ? 0 : 1) + sealedInOne + numbersInOne + documentsInOne + 1;
        return await command.ExecuteAsync(db, cancellationToken, values.All) == expected ? StepWritten.Written : StepWritten.LostRace;
    }

    /// <summary>
    /// True when a step with this many votes, journal events and sealed choices sends its writes as one command, so that
    /// on PostgreSQL the command can commit itself (decision 168).
    /// </summary>
    public static bool FitOneCommand(int votes, int events, int sealedChoices) =>
        votes <= VotesInOneCommand && events <= EventsInOneCommand && sealedChoices <= 1;

    // Each statement's values in the order of its bound columns (Statements' constructor).
    private static void Vote(ref Values values, VoterUpdate v) =>
        values.Add(v.RespondedAt, v.Choice, v.Reason, v.EnteredBy, v.InstanceId, v.BookmarkId, v.VoterId);

    private static void Journal(ref Values values, JournalEvent e) =>
        values.Add(e.InstanceId, e.Sequence, e.CommunityId, e.Type, e.DataJson, e.OccurredAt, e.PreviousHash, e.Hash, e.HashScheme);

    private static void Sealed(ref Values values, SealedChoice c) => values.Add(c.Id, c.InstanceId, c.BookmarkId, c.CommunityId, c.Sealed);

    /// <summary>
    /// A command's values, each statement's written in turn into the one array the command takes: an array per statement,
    /// gathered in a list and copied out, was about 0.5 KB a vote (docs/benchmarks.md section 24c).
    /// </summary>
    private struct Values(int count)
    {
        private readonly object?[] _all = new object?[count];
        private int _written;

        /// <summary>The array, once every value is in it (a command given too few would bind nulls for the rest).</summary>
        public readonly object?[] All => _written == _all.Length
            ? _all
            : throw new InvalidOperationException($"The command takes {_all.Length} values; {_written} were written.");

        public void Add(params ReadOnlySpan<object?> values)
        {
            values.CopyTo(_all.AsSpan(_written));
            _written += values.Length;
        }
    }

    private sealed class Statements
    {
        private static readonly ConditionalWeakTable<IModel, Statements> PerModel = [];

        private readonly Statement _vote;
        private readonly Statement _journal;
        private readonly Statement _answer;
        private readonly Statement _sealed;
        private readonly Statement _stateAndStatus;
        private readonly Statement _state;
        private readonly Statement _number;
        private readonly Statement _document;
        private readonly PreparedStatement?[,,,,,,,] _steps =
            new PreparedStatement?[VotesInOneCommand + 1, EventsInOneCommand + 1, 2, 2, 2, 3, NumbersInOneCommand + 1, DocumentsInOneCommand + 1];

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
            _number = writer.Insert<IssuedNumber>(
            [
                (nameof(IssuedNumber.CommunityId), Share.Community), nameof(IssuedNumber.Series), nameof(IssuedNumber.Number), nameof(IssuedNumber.Year),
                (nameof(IssuedNumber.InstanceId), Share.Instance), nameof(IssuedNumber.ActivityId), (nameof(IssuedNumber.IssuedAt), Share.Now),
            ]);
            _document = writer.Insert<IssuedDocument>(
            [
                nameof(IssuedDocument.Id), (nameof(IssuedDocument.CommunityId), Share.Community), nameof(IssuedDocument.DocumentType),
                nameof(IssuedDocument.Series), nameof(IssuedDocument.Year), nameof(IssuedDocument.Number), (nameof(IssuedDocument.InstanceId), Share.Instance),
                nameof(IssuedDocument.ActivityId), nameof(IssuedDocument.ContentJson), (nameof(IssuedDocument.IssuedAt), Share.Now),
            ]);
            Vote = writer.Build([_vote]);
            Journal = writer.Build([_journal]);
            Sealed = writer.Build([_sealed]);
        }

        /// <summary>Ends the step's transaction in its own command (decision 180): no value to bind.</summary>
        private static readonly Statement Commit = new("COMMIT", [], [], []);

        public static Statements For(DbContext db) => PerModel.GetValue(db.Model, _ => new Statements(db));

        public PreparedStatement Vote { get; }

        public PreparedStatement Journal { get; }

        public PreparedStatement Sealed { get; }

        /// <summary>
        /// A step's command for this many votes and events, with or without an answer and a sealed choice, setting the
        /// instance's status or leaving it, with this many issued numbers and documents: built the first time it is needed.
        /// </summary>
        /// <remarks>
        /// <paramref name="mode"/> other than <see cref="StepMode.InTransaction"/> (PostgreSQL, decisions 168 and 180) wraps
        /// each guarded update so that a row left unchanged raises <see cref="StepGuard.LostRace"/>: the command, one
        /// implicit transaction, then keeps nothing; or, <see cref="StepMode.Committing"/>, its closing COMMIT never runs.
        /// The statements and their order (voters, journal, answer, sealed choice, issued numbers and documents, state) are the same in every mode.
        /// </remarks>
        public PreparedStatement Step(DbContext db, int votes, int events, bool answer, bool sealedChoice, bool statusChanged, StepMode mode = StepMode.InTransaction, int numbers = 0, int documents = 0)
        {
            var guarded = mode != StepMode.InTransaction;
            var (a, c, s, g) = (answer ? 1 : 0, sealedChoice ? 1 : 0, statusChanged ? 1 : 0, (int)mode);
            if (Volatile.Read(ref _steps[votes, events, a, c, s, g, numbers, documents]) is { } built)
            {
                return built;
            }

            var vote = guarded ? _vote with { Sql = StepGuard.OneRowChanged(_vote.Sql) } : _vote;
            var state = statusChanged ? _stateAndStatus : _state;
            Statement[] parts =
            [
                .. Enumerable.Repeat(vote, votes), .. Enumerable.Repeat(_journal, events), .. Enumerable.Repeat(_answer, a), .. Enumerable.Repeat(_sealed, c),
                .. Enumerable.Repeat(_number, numbers), .. Enumerable.Repeat(_document, documents),
                guarded ? state with { Sql = StepGuard.OneRowChanged(state.Sql) } : state,
                .. Enumerable.Repeat(Commit, mode == StepMode.Committing ? 1 : 0),
            ];
            var command = new StatementWriter(db).Build(parts);
            Volatile.Write(ref _steps[votes, events, a, c, s, g, numbers, documents], command);
            return command;
        }
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
}

/// <summary>How a step's command ends its writes: in the caller's transaction, as its own transaction (decision 168), or committing the caller's (decision 180).</summary>
internal enum StepMode
{
    InTransaction = 0,
    SelfCommitting = 1,
    Committing = 2,
}

/// <summary>What a step's write came to: a lost race (nothing of it kept), written, or written and its transaction committed.</summary>
internal enum StepWritten
{
    LostRace,
    Written,
    AndCommitted,
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
