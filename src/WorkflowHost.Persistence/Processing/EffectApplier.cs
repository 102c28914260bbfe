using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Journal;

namespace WorkflowHost.Persistence.Processing;

/// <summary>
/// Writes one accepted step: the effects, the journal and the new instance state, inside the caller's transaction.
/// Rows that already exist are changed with set-based updates guarded by their status, so a lost race shows up as
/// "0 rows" and becomes a <see cref="ConcurrencyConflictException"/> instead of a silent double write.
/// </summary>
internal sealed class EffectApplier(WorkflowDbContext db, WorkflowInstance row, InstanceState state, DateTimeOffset now, Sealing.StoreKeys keys, Processes.ProcessStore? processStore = null)
{
    private Processes.ProcessEffectApplier? _process;

    private readonly Dictionary<string, WorkItem> _addedItems = [];
    private readonly Dictionary<string, WorkflowTimer> _addedTimers = [];
    private readonly Dictionary<(string, string), BallotVoter> _addedVoters = [];
    private long _sequence = row.JournalSequence;
    private string _head = row.JournalHead;

    public async Task ApplyAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case NumberRequested request:
                    await IssueNumberAsync(request, cancellationToken);
                    break;
                case TaskOpened opened:
                    AddItem(new WorkItem
                    {
                        InstanceId = row.Id, BookmarkId = opened.BookmarkId, CommunityId = row.CommunityId, ActivityId = opened.ActivityId,
                        Kind = "task", AssigneeKind = opened.Assignee.Kind.ToString().ToLowerInvariant(), AssigneeValue = opened.Assignee.Value,
                        Status = "open", OpenedAt = now, DueAt = opened.DueAt,
                    });
                    break;
                case TaskClosed closed:
                    await CloseItemAsync(closed.BookmarkId, closed.Outcome, closed.ClosedBy, closed.Reason, cancellationToken);
                    break;
                case BallotOpened opened:
                    OpenBallot(opened);
                    break;
                case VoteRecorded vote:
                    await RecordVoteAsync(vote, cancellationToken);
                    break;
                case RecusalRecorded recusal:
                    await RecordRecusalAsync(recusal, cancellationToken);
                    break;
                case SecretChoiceCast cast:
                    Sealing.SealedBallots.Seal(db, keys, row, cast);
                    break;
                case BallotClosed closed:
                    await CloseItemAsync(closed.BookmarkId, closed.Outcome, null, closed.Reason, cancellationToken);
                    if (closed.Secret)
                    {
                        // Counted into the totals by this step: the sealed choices go (decision 91).
                        await Sealing.SealedBallots.DropAsync(db, row.Id, closed.BookmarkId, cancellationToken);
                    }

                    break;
                case TimerScheduled scheduled:
                    var timer = new WorkflowTimer
                    {
                        InstanceId = row.Id, TimerId = scheduled.TimerId, CommunityId = row.CommunityId, BookmarkId = scheduled.BookmarkId,
                        Purpose = scheduled.Purpose.ToString().ToLowerInvariant(), DueAt = scheduled.DueAt, Status = TimerStatus.Pending,
                    };
                    _addedTimers[scheduled.TimerId] = timer;
                    db.Timers.Add(timer);
                    break;
                case DeadlineMoved moved:
                    await MoveDeadlineAsync(moved, cancellationToken);
                    break;
                case TimerCancelled cancelled:
                    await CancelTimerAsync(cancelled.TimerId, cancellationToken);
                    break;
                case NotificationRequested notification:
                    var message = new Notification
                    {
                        Id = Guid.NewGuid(), CommunityId = row.CommunityId, UniqueKey = notification.Key, RecipientId = notification.RecipientId,
                        InstanceId = row.Id, Template = notification.Template, DataJson = notification.Data.ToJsonString(), CreatedAt = now,
                    };
                    db.Notifications.Add(message);

                    // The outbox row: e-mail is sent after commit, or never if the step rolls back.
                    db.NotificationDeliveries.Add(new NotificationDelivery
                    {
                        NotificationId = message.Id, Channel = DeliveryChannel.Email, CommunityId = row.CommunityId,
                        Status = DeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now,
                    });
                    break;
                case JournalEntry entry:
                    Append(entry.Type, entry.Data);
                    break;
                default:
                    if (!await ProcessEffects().TryApplyAsync(effect, cancellationToken))
                    {
                        throw new InvalidOperationException($"No store handler for effect {effect.GetType().Name}.");
                    }

                    break;
            }
        }

        if (processStore is not null)
        {
            await ProcessEffects().FinishAsync(cancellationToken);
        }
    }

    /// <summary>The processes' effects (comments, reservations, lookups, documents, registers): see Processes/ProcessEffectApplier.cs.</summary>
    private Processes.ProcessEffectApplier ProcessEffects() =>
        _process ??= new Processes.ProcessEffectApplier(db, row, state, now,
            processStore ?? throw new InvalidOperationException("The process store is not registered (AddWorkflowPersistence)."), Append);

    /// <summary>Writes the new state with the version check; zero rows means someone else got there first.</summary>
    public async Task SaveStateAsync(int expectedVersion, CancellationToken cancellationToken)
    {
        var stateJson = JsonSerializer.Serialize(state, EngineJson.Options);
        var status = state.Status.ToString().ToLowerInvariant();
        var updated = await db.Instances
            .Where(i => i.Id == row.Id && i.Version == expectedVersion)
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.StateJson, stateJson)
                    .SetProperty(i => i.Status, status)
                    .SetProperty(i => i.Result, state.Result)
                    .SetProperty(i => i.Version, expectedVersion + 1)
                    .SetProperty(i => i.JournalSequence, _sequence)
                    .SetProperty(i => i.JournalHead, _head)
                    .SetProperty(i => i.UpdatedAt, now)
                    .SetProperty(i => i.EndedAt, state.EndedAt),
                cancellationToken);
        if (updated == 0)
        {
            throw new ConcurrencyConflictException($"Instance {row.Id} changed since version {expectedVersion} was read.");
        }
    }

    /// <summary>For a new instance: the row is inserted with the state and the journal head as they stand now.</summary>
    public void FillNewRow()
    {
        row.StateJson = JsonSerializer.Serialize(state, EngineJson.Options);
        row.Status = state.Status.ToString().ToLowerInvariant();
        row.Result = state.Result;
        row.JournalSequence = _sequence;
        row.JournalHead = _head;
        row.UpdatedAt = now;
        row.EndedAt = state.EndedAt;
    }

    public void Append(string type, JsonObject data)
    {
        var sequence = ++_sequence;
        var dataJson = data.ToJsonString(EngineJson.Options);
        var hash = JournalChain.Compute(keys, _head, row.Id, sequence, type, now, dataJson);
        db.JournalEvents.Add(new JournalEvent
        {
            InstanceId = row.Id, Sequence = sequence, CommunityId = row.CommunityId, Type = type,
            DataJson = dataJson, OccurredAt = now, PreviousHash = _head, Hash = hash, HashScheme = JournalChain.KeyedScheme,
        });
        _head = hash;
    }

    private async Task IssueNumberAsync(NumberRequested request, CancellationToken cancellationToken)
    {
        // One statement that creates or bumps the counter: it takes the row lock, so two instances never share a number,
        // and a rolled-back step gives its number back (no gaps).
        var values = await db.Database.SqlQuery<long>($"""
            INSERT INTO "NumberSeries" ("CommunityId", "Series", "Year", "LastValue") VALUES ({row.CommunityId}, {request.Series}, {request.Year}, 1)
            ON CONFLICT ("CommunityId", "Series", "Year") DO UPDATE SET "LastValue" = "NumberSeries"."LastValue" + 1
            RETURNING "LastValue" AS "Value"
            """).ToListAsync(cancellationToken);
        var number = NumberFormat.Apply(request.Format, request.Year, values.Single());
        var record = state.Variables[request.ActivityId] as JsonObject ?? [];
        record["number"] = number;
        record["series"] = request.Series;
        record["issuedAt"] = now;
        state.Variables[request.ActivityId] = record;
        db.IssuedNumbers.Add(new IssuedNumber
        {
            CommunityId = row.CommunityId, Series = request.Series, Number = number, Year = request.Year,
            InstanceId = row.Id, ActivityId = request.ActivityId, IssuedAt = now,
        });
        Append("NumberIssued", new JsonObject { ["activity"] = request.ActivityId, ["series"] = request.Series, ["number"] = number });
    }

    private async Task MoveDeadlineAsync(DeadlineMoved moved, CancellationToken cancellationToken)
    {
        if (_addedItems.TryGetValue(moved.BookmarkId, out var added))
        {
            added.DueAt = moved.DueAt;
            return;
        }

        var updated = await db.WorkItems
            .Where(w => w.InstanceId == row.Id && w.BookmarkId == moved.BookmarkId && w.Status == "open")
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.DueAt, moved.DueAt), cancellationToken);
        EnsureOne(updated, $"work item {moved.BookmarkId}");
    }

    private void AddItem(WorkItem item)
    {
        _addedItems[item.BookmarkId] = item;
        db.WorkItems.Add(item);
    }

    private void OpenBallot(BallotOpened opened)
    {
        AddItem(new WorkItem
        {
            InstanceId = row.Id, BookmarkId = opened.BookmarkId, CommunityId = row.CommunityId, ActivityId = opened.ActivityId,
            Kind = "ballot", Status = "open", OpenedAt = now, DueAt = opened.DueAt ?? opened.ClosesAt,
        });
        var voters = opened.EligibleVoters.Select(v => (Id: v, Recusal: (Recusal?)null))
            .Concat(opened.Recusals.Select(r => (Id: r.VoterId, Recusal: (Recusal?)r)));
        foreach (var (voter, recusal) in voters)
        {
            var entity = new BallotVoter
            {
                InstanceId = row.Id, BookmarkId = opened.BookmarkId, PersonId = voter, CommunityId = row.CommunityId,
                Status = recusal is null ? VoterStatus.Pending : VoterStatus.Recused,
                RecusalReason = recusal?.Reason, AutomaticRecusal = recusal?.Automatic ?? false,
            };
            _addedVoters[(opened.BookmarkId, voter)] = entity;
            db.BallotVoters.Add(entity);
        }
    }

    private async Task RecordVoteAsync(VoteRecorded vote, CancellationToken cancellationToken)
    {
        // Never write the choice next to the voter on a secret ballot (it is sealed apart, decision 91), nor the time of
        // the vote: the row says only "has voted".
        var choice = vote.Secret ? null : vote.Choice;
        var reason = vote.Secret ? null : vote.Reason;
        DateTimeOffset? respondedAt = vote.Secret ? null : now;
        if (_addedVoters.TryGetValue((vote.BookmarkId, vote.VoterId), out var added))
        {
            (added.Status, added.RespondedAt, added.Choice, added.Reason, added.EnteredBy) = (VoterStatus.Voted, respondedAt, choice, reason, vote.EnteredBy);
            return;
        }

        var updated = await db.BallotVoters
            .Where(v => v.InstanceId == row.Id && v.BookmarkId == vote.BookmarkId && v.PersonId == vote.VoterId && v.Status == VoterStatus.Pending)
            .ExecuteUpdateAsync(
                s => s.SetProperty(v => v.Status, VoterStatus.Voted)
                    .SetProperty(v => v.RespondedAt, respondedAt)
                    .SetProperty(v => v.Choice, choice)
                    .SetProperty(v => v.Reason, reason)
                    .SetProperty(v => v.EnteredBy, vote.EnteredBy),
                cancellationToken);
        EnsureOne(updated, $"voter {vote.VoterId} on {vote.BookmarkId}");
    }

    private async Task RecordRecusalAsync(RecusalRecorded recusal, CancellationToken cancellationToken)
    {
        var updated = await db.BallotVoters
            .Where(v => v.InstanceId == row.Id && v.BookmarkId == recusal.BookmarkId && v.PersonId == recusal.Recusal.VoterId && v.Status == VoterStatus.Pending)
            .ExecuteUpdateAsync(
                s => s.SetProperty(v => v.Status, VoterStatus.Recused)
                    .SetProperty(v => v.RespondedAt, now)
                    .SetProperty(v => v.RecusalReason, recusal.Recusal.Reason),
                cancellationToken);
        EnsureOne(updated, $"voter {recusal.Recusal.VoterId} on {recusal.BookmarkId}");
    }

    private async Task CloseItemAsync(string bookmarkId, string? outcome, string? closedBy, CloseReason reason, CancellationToken cancellationToken)
    {
        var reasonText = reason.ToString();
        if (_addedItems.TryGetValue(bookmarkId, out var added))
        {
            (added.Status, added.ClosedAt, added.Outcome, added.ClosedBy, added.CloseReason) = ("closed", now, outcome, closedBy, reasonText);
            return;
        }

        var updated = await db.WorkItems
            .Where(w => w.InstanceId == row.Id && w.BookmarkId == bookmarkId && w.Status == "open")
            .ExecuteUpdateAsync(
                s => s.SetProperty(w => w.Status, "closed")
                    .SetProperty(w => w.ClosedAt, now)
                    .SetProperty(w => w.Outcome, outcome)
                    .SetProperty(w => w.ClosedBy, closedBy)
                    .SetProperty(w => w.CloseReason, reasonText),
                cancellationToken);
        EnsureOne(updated, $"work item {bookmarkId}");
    }

    private async Task CancelTimerAsync(string timerId, CancellationToken cancellationToken)
    {
        if (_addedTimers.TryGetValue(timerId, out var added))
        {
            added.Status = TimerStatus.Cancelled;
            return;
        }

        await db.Timers
            .Where(t => t.InstanceId == row.Id && t.TimerId == timerId && t.Status == TimerStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Cancelled), cancellationToken);
    }

    private void EnsureOne(int updated, string what)
    {
        if (updated != 1)
        {
            throw new ConcurrencyConflictException($"Instance {row.Id}: {what} was changed by another step.");
        }
    }
}

public static class TimerStatus
{
    public const string Pending = "pending";
    public const string Fired = "fired";
    public const string Cancelled = "cancelled";

    /// <summary>Fell due after its step had closed; nothing to do.</summary>
    public const string Void = "void";
}

public static class VoterStatus
{
    public const string Pending = "pending";
    public const string Voted = "voted";
    public const string Recused = "recused";
}

public static class DeliveryChannel
{
    public const string Email = "email";
}

public static class DeliveryStatus
{
    public const string Pending = "pending";

    /// <summary>Claimed by a host that is sending it now (until its lease runs out).</summary>
    public const string Sending = "sending";

    public const string Sent = "sent";

    /// <summary>Nothing to send on this channel: no address, or no SMTP server configured.</summary>
    public const string Skipped = "skipped";

    /// <summary>No longer relevant when its turn came (the step closed, the member voted): not sent.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>Every attempt failed; administrators see it with the last error.</summary>
    public const string Failed = "failed";
}
