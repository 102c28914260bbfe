using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The set-based writes of a step's effects on rows that already exist (a work item closed, moved, held or reassigned, a
/// voter's recusal, the ballot's timers cancelled), a timer's job id, and the next number of a series: the work of the
/// vote that decides a ballot beyond an ordinary vote's. Each was a LINQ <c>ExecuteUpdate</c> (or a raw SQL query) that
/// cost an expression tree, EF Core's parameter extraction and a query-cache lookup on every call (issue 18); they are now
/// written once per model as <see cref="PreparedStatement"/>s (decision 175), as the vote's own writes are
/// (<see cref="StepWrites"/>). Every statement keeps the conditions of the LINQ it replaces (the instance, the row's key
/// and the status it must still have) and answers the rows it changed, so a lost race still shows as 0.
/// </summary>
internal static class EffectWrites
{
    /// <summary>
    /// Timer ids in the largest cancellation whose statement is kept (one per count, as <c>TimerId IN (?, …)</c>): a
    /// decided ballot cancels its deadline and its reminders. A longer list is written for the call and not kept.
    /// </summary>
    public const int KeptCancellationSize = 16;

    /// <summary>Closes an open work item; answers the rows changed (1, or 0 when it was no longer open).</summary>
    public static Task<int> CloseItemAsync(
        WorkflowDbContext db, Guid instanceId, string bookmarkId, DateTimeOffset closedAt, string? outcome, string? closedBy, string closeReason,
        CancellationToken cancellationToken) =>
        Statements.For(db).CloseItem.ExecuteAsync(db, cancellationToken, closedAt, outcome, closedBy, closeReason, instanceId, bookmarkId);

    /// <summary>Moves an open work item's deadline.</summary>
    public static Task<int> MoveDeadlineAsync(WorkflowDbContext db, Guid instanceId, string bookmarkId, DateTimeOffset? dueAt, CancellationToken cancellationToken) =>
        Statements.For(db).MoveDeadline.ExecuteAsync(db, cancellationToken, dueAt, instanceId, bookmarkId);

    /// <summary>Who holds an open task now, and for whom.</summary>
    public static Task<int> ChangeHoldingAsync(WorkflowDbContext db, Guid instanceId, string bookmarkId, string? holderId, string? delegateId, CancellationToken cancellationToken) =>
        Statements.For(db).ChangeHolding.ExecuteAsync(db, cancellationToken, holderId, delegateId, instanceId, bookmarkId);

    /// <summary>An open task's new assignee.</summary>
    public static Task<int> ReassignAsync(WorkflowDbContext db, Guid instanceId, string bookmarkId, string assigneeKind, string? assigneeValue, CancellationToken cancellationToken) =>
        Statements.For(db).Reassign.ExecuteAsync(db, cancellationToken, assigneeKind, assigneeValue, instanceId, bookmarkId);

    /// <summary>A pending voter recused.</summary>
    public static Task<int> RecuseAsync(
        WorkflowDbContext db, Guid instanceId, string bookmarkId, string voterId, DateTimeOffset respondedAt, string? reason, CancellationToken cancellationToken) =>
        Statements.For(db).Recuse.ExecuteAsync(db, cancellationToken, respondedAt, reason, instanceId, bookmarkId, voterId);

    /// <summary>Cancels those of the instance's timers that are still pending, in one statement; answers the rows changed.</summary>
    /// <summary>The text of the cancellation of <paramref name="count"/> timers, as the host sends it (its plan is tested).</summary>
    internal static string CancelTimersSql(DbContext db, int count) => Statements.For(db).CancelTimers(db, count).Sql;

    public static Task<int> CancelTimersAsync(WorkflowDbContext db, Guid instanceId, IReadOnlyList<string> timerIds, CancellationToken cancellationToken)
    {
        var values = new object?[timerIds.Count + 1];
        values[0] = instanceId;
        for (var i = 0; i < timerIds.Count; i++)
        {
            values[i + 1] = timerIds[i];
        }

        return Statements.For(db).CancelTimers(db, timerIds.Count).ExecuteAsync(db, cancellationToken, values);
    }

    /// <summary>Records the job of a pending timer that has none yet; answers the rows changed.</summary>
    public static Task<int> SetJobIdAsync(WorkflowDbContext db, Guid instanceId, string timerId, string jobId, CancellationToken cancellationToken) =>
        Statements.For(db).SetJobId.ExecuteAsync(db, cancellationToken, jobId, instanceId, timerId);

    /// <summary>
    /// Creates or bumps the counter of a series and year and answers its new value: one statement that takes the row's
    /// lock (<see cref="NumberAllocator"/>).
    /// </summary>
    public static async Task<long> NextNumberAsync(WorkflowDbContext db, string communityId, string series, int year, CancellationToken cancellationToken) =>
        Convert.ToInt64(await Statements.For(db).NextNumber.ExecuteScalarAsync(db, cancellationToken, communityId, series, year), CultureInfo.InvariantCulture);

    private sealed class Statements
    {
        private static readonly ConditionalWeakTable<IModel, Statements> PerModel = [];

        private readonly PreparedStatement?[] _cancellations = new PreparedStatement?[KeptCancellationSize + 1];

        private Statements(DbContext db)
        {
            var writer = new StatementWriter(db);
            // The statuses a row moves from and to are part of each statement, not values, as the LINQ had them.
            Column[] openItem = [nameof(WorkItem.InstanceId), nameof(WorkItem.BookmarkId), (nameof(WorkItem.Status), WorkItemStatus.Open)];
            CloseItem = writer.Build([writer.Update<WorkItem>(
                set:
                [
                    (nameof(WorkItem.Status), WorkItemStatus.Closed), nameof(WorkItem.ClosedAt), nameof(WorkItem.Outcome), nameof(WorkItem.ClosedBy),
                    nameof(WorkItem.CloseReason),
                ],
                where: openItem)]);
            MoveDeadline = writer.Build([writer.Update<WorkItem>(set: [nameof(WorkItem.DueAt)], where: openItem)]);
            ChangeHolding = writer.Build([writer.Update<WorkItem>(set: [nameof(WorkItem.HolderId), nameof(WorkItem.DelegateId)], where: openItem)]);
            Reassign = writer.Build([writer.Update<WorkItem>(set: [nameof(WorkItem.AssigneeKind), nameof(WorkItem.AssigneeValue)], where: openItem)]);
            Recuse = writer.Build([writer.Update<BallotVoter>(
                set: [(nameof(BallotVoter.Status), VoterStatus.Recused), nameof(BallotVoter.RespondedAt), nameof(BallotVoter.RecusalReason)],
                where:
                [
                    nameof(BallotVoter.InstanceId), nameof(BallotVoter.BookmarkId), nameof(BallotVoter.PersonId), (nameof(BallotVoter.Status), VoterStatus.Pending),
                ])]);
            SetJobId = writer.Build([writer.Update<WorkflowTimer>(
                set: [nameof(WorkflowTimer.JobId)],
                where:
                [
                    nameof(WorkflowTimer.InstanceId), nameof(WorkflowTimer.TimerId), Column.Null(nameof(WorkflowTimer.JobId)),
                    (nameof(WorkflowTimer.Status), TimerStatus.Pending),
                ])]);
            NextNumber = writer.Build([writer.Text<NumberSeries>(
                [nameof(NumberSeries.CommunityId), nameof(NumberSeries.Series), nameof(NumberSeries.Year)],
                (n, v) => $"INSERT INTO {n.Table} ({n[nameof(NumberSeries.CommunityId)]}, {n[nameof(NumberSeries.Series)]}, {n[nameof(NumberSeries.Year)]}, {n[nameof(NumberSeries.LastValue)]}) "
                    + $"VALUES ({v[0]}, {v[1]}, {v[2]}, 1) "
                    + $"ON CONFLICT ({n[nameof(NumberSeries.CommunityId)]}, {n[nameof(NumberSeries.Series)]}, {n[nameof(NumberSeries.Year)]}) "
                    + $"DO UPDATE SET {n[nameof(NumberSeries.LastValue)]} = {n.Table}.{n[nameof(NumberSeries.LastValue)]} + 1 "
                    + $"RETURNING {n[nameof(NumberSeries.LastValue)]}")]);
        }

        public static Statements For(DbContext db) => PerModel.GetValue(db.Model, _ => new Statements(db));

        public PreparedStatement CloseItem { get; }

        public PreparedStatement MoveDeadline { get; }

        public PreparedStatement ChangeHolding { get; }

        public PreparedStatement Reassign { get; }

        public PreparedStatement Recuse { get; }

        public PreparedStatement SetJobId { get; }

        public PreparedStatement NextNumber { get; }

        /// <summary>The cancellation of <paramref name="count"/> timers: built the first time it is needed, kept up to <see cref="KeptCancellationSize"/>.</summary>
        public PreparedStatement CancelTimers(DbContext db, int count)
        {
            if (count <= KeptCancellationSize && Volatile.Read(ref _cancellations[count]) is { } built)
            {
                return built;
            }

            var writer = new StatementWriter(db);
            var command = writer.Build([CancelStatement(writer, count)]);
            if (count <= KeptCancellationSize)
            {
                Volatile.Write(ref _cancellations[count], command);
            }

            return command;
        }

        private static Statement CancelStatement(StatementWriter writer, int count) => writer.Update<WorkflowTimer>(
            set: [(nameof(WorkflowTimer.Status), TimerStatus.Cancelled)],
            where: [nameof(WorkflowTimer.InstanceId), Column.OneOf(nameof(WorkflowTimer.TimerId), count), (nameof(WorkflowTimer.Status), TimerStatus.Pending)]);
    }
}
