using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;
using WorkflowHost.Persistence.Sealing;
using WorkflowHost.Persistence.Journal;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// Writes one accepted step: the effects, the journal and the new instance state, inside the caller's transaction.
/// Rows that already exist are changed with set-based updates guarded by their status, so a lost race shows up as
/// "0 rows" and becomes a <see cref="ConcurrencyConflictException"/> instead of a silent double write. Those updates, the
/// number's counter and the register rows of what the step issued are prepared statements (<see cref="EffectWrites"/>,
/// <see cref="StepWrites"/>, decision 175), never LINQ built per call: the vote that decides a ballot sends all of them.
/// </summary>
internal sealed class EffectApplier(WorkflowDbContext db, WorkflowInstance row, InstanceState state, DateTimeOffset now, StoreKeys keys, ProcessStore processStore)
{
    private ProcessEffectApplier? _process;

    private readonly List<JournalEvent> _events = [];
    private readonly List<VoterUpdate> _votes = [];

    // What most steps (a vote) never have is made when the first one comes: made for every step, the collections were
    // about 0.4 KB a vote (decision 187).
    private Dictionary<string, WorkItem>? _addedItems;
    private Dictionary<string, WorkflowTimer>? _addedTimers;
    private Dictionary<(string, string), BallotVoter>? _addedVoters;
    private List<SealedChoice>? _sealed;
    private List<string>? _timersToCancel;

    // The numbers and documents the step issued: written in the step's own command on an instance that exists
    // (SaveStateAsync), added to the change tracker with a new instance's row (FillNewRow), decision 175.
    private List<IssuedNumber>? _issuedNumbers;
    private List<IssuedDocument>? _issuedDocuments;
    private long _sequence = row.JournalSequence;
    private string _head = row.JournalHead;

    // The step's announcements, read before the step takes a number (decision 180), otherwise after its effects.
    private Notifications.AnnouncementPlan? _announcements;

    /// <summary>
    /// True once the step's write has also committed its transaction (PostgreSQL, decision 180): the caller must neither
    /// save nor commit anything more.
    /// </summary>
    public bool CommittedWithWrite { get; private set; }

    public async Task ApplyAsync(IReadOnlyList<Effect> effects, CancellationToken cancellationToken)
    {
        foreach (var effect in effects)
        {
            if (effect is not TimerCancelled)
            {
                await CancelTimersAsync(cancellationToken);
            }

            if (_announcements is null && TakesANumber(effect))
            {
                // The number series' row stays locked from here to the commit, and every deciding vote of the community
                // waits for it: what does not need the number (the robots' read) is read first (decision 180).
                _announcements = await Notifications.DeliveryPlan.PlanAnnouncementsAsync(db, row, effects, cancellationToken);
            }

            switch (effect)
            {
                case NumberRequested request:
                    await IssueNumberAsync(request, cancellationToken);
                    break;
                case TaskOpened opened:
                    AddItem(new WorkItem
                    {
                        InstanceId = row.Id, BookmarkId = opened.BookmarkId, CommunityId = row.CommunityId, ActivityId = opened.ActivityId,
                        Kind = WorkItemKind.Task, AssigneeKind = StoredName.Of(opened.Assignee.Kind), AssigneeValue = opened.Assignee.Value,
                        Status = WorkItemStatus.Open, OpenedAt = now, DueAt = opened.DueAt,
                    });
                    break;
                case TaskClosed closed:
                    await CloseItemAsync(closed.BookmarkId, closed.Outcome, closed.ClosedBy, closed.Reason, cancellationToken);
                    break;
                case BallotOpened opened:
                    OpenBallot(opened);
                    break;
                case VoteRecorded vote:
                    RecordVote(vote);
                    break;
                case RecusalRecorded recusal:
                    await RecordRecusalAsync(recusal, cancellationToken);
                    break;
                case SecretChoiceCast cast:
                    (_sealed ??= []).Add(Sealing.SealedBallots.Seal(keys, row, cast));
                    break;
                case BallotClosed closed:
                    await CloseItemAsync(closed.BookmarkId, closed.Outcome, null, closed.Reason, cancellationToken);
                    if (closed.Secret)
                    {
                        // Counted into the totals by this step: the sealed choices go (decision 91), the closing vote's own
                        // (still waiting to be written) among them.
                        DropSealed(closed.BookmarkId);
                        await Sealing.SealedBallots.DropAsync(db, row.Id, closed.BookmarkId, cancellationToken);
                    }

                    break;
                case TimerScheduled scheduled:
                    var timer = new WorkflowTimer
                    {
                        InstanceId = row.Id, TimerId = scheduled.TimerId, CommunityId = row.CommunityId, BookmarkId = scheduled.BookmarkId,
                        Purpose = StoredName.Of(scheduled.Purpose), DueAt = scheduled.DueAt, Status = TimerStatus.Pending,
                    };
                    (_addedTimers ??= [])[scheduled.TimerId] = timer;
                    db.Timers.Add(timer);
                    break;
                case DeadlineMoved moved:
                    await MoveDeadlineAsync(moved, cancellationToken);
                    break;
                case TaskHoldingChanged holding:
                    await ChangeHoldingAsync(holding, cancellationToken);
                    break;
                case TaskReassigned reassigned:
                    await ReassignAsync(reassigned, cancellationToken);
                    break;
                case TimerCancelled cancelled:
                    CancelTimer(cancelled.TimerId);
                    break;
                case NotificationRequested notification:
                    // With its outbox rows, one per channel of the recipient: sent after commit, or never if the step rolls back.
                    await Notifications.DeliveryPlan.AddAsync(db, new Notifications.PersonalNotice(row.CommunityId, notification.RecipientId,
                        notification.Key, notification.Template, notification.Data, row.Id), now, cancellationToken);
                    break;
                case CaseReadersAdded readers:
                    await CaseReaderRows.AddAsync(db, row, readers, now, cancellationToken);
                    break;
                case CaseReaderWithdrawn withdrawn:
                    await CaseReaderRows.WithdrawAsync(db, row, withdrawn, cancellationToken);
                    break;
                case AttachmentsReferenced referenced:
                    await Attachments.StepAttachments.AttachAsync(db, row.Id, row.CommunityId, referenced.AttachmentIds, cancellationToken);
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

        await CancelTimersAsync(cancellationToken);
        _announcements ??= await Notifications.DeliveryPlan.PlanAnnouncementsAsync(db, row, effects, cancellationToken);
        _announcements.AddTo(db, row, now);
        if (ProcessEffectApplier.HasToFinish(state))
        {
            await ProcessEffects().FinishAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A secret ballot's choices cast in this step and not yet written, dropped at its close. Apart from the loop over the
    /// effects: the predicate's closure was made for every effect of every step there.
    /// </summary>
    private void DropSealed(string bookmarkId) => _sealed?.RemoveAll(c => c.BookmarkId == bookmarkId);

    /// <summary>The effects that take the next number of a series (and with it the series' row lock, to the commit).</summary>
    private static bool TakesANumber(Effect effect) => effect is NumberRequested or DocumentRequested or RecordsRequested;

    /// <summary>
    /// True when applying these effects writes nothing but the step's one command (<see cref="StepWrites"/>): votes on a
    /// ballot opened by an earlier step, sealed choices, journal entries with no announcement (DeliveryPlan announces a
    /// DecisionTaken), no change of status, and few enough of each to fit that command. Such a step may run outside a
    /// transaction on PostgreSQL, its command committing itself (decision 168). Every other effect, known or new, answers
    /// false: a step that writes anything more keeps its transaction.
    /// </summary>
    public static bool WritesOnlyTheStepCommand(IReadOnlyList<Effect> effects, WorkflowInstance row, InstanceState state)
    {
        if (StoredName.Of(state.Status) != row.Status || state.Result != row.Result || state.EndedAt != row.EndedAt)
        {
            return false;
        }

        var (votes, events, sealedChoices) = (0, 0, 0);
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case VoteRecorded:
                    votes++;
                    break;
                case SecretChoiceCast:
                    sealedChoices++;
                    break;
                case JournalEntry entry when entry.Type != JournalEventTypes.DecisionTaken:
                    events++;
                    break;
                default:
                    return false;
            }
        }

        return StepWrites.FitOneCommand(votes, events, sealedChoices);
    }

    /// <summary>The processes' effects (comments, reservations, lookups, documents, registers): see ProcessEffectApplier.cs.</summary>
    private ProcessEffectApplier ProcessEffects() =>
        _process ??= new ProcessEffectApplier(db, row, state, now, processStore, Append, Issued);

    private void Issued(IssuedDocument document, IssuedNumber number)
    {
        (_issuedDocuments ??= []).Add(document);
        (_issuedNumbers ??= []).Add(number);
    }

    /// <summary>
    /// Writes the step's votes, journal events, the answer to keep under its idempotency key (if any) and the new state with
    /// the version check, in one command (<see cref="StepWrites"/>); a row left unchanged means someone else got there first.
    /// Answers what was written, for the host to keep once the step has committed (<see cref="KeptStates"/>, decision 170).
    /// </summary>
    /// <remarks>
    /// <paramref name="commitWithWrite"/>: the caller owns the step's transaction and will write nothing after this; on
    /// PostgreSQL the step's command then ends with the COMMIT when nothing is left for the change tracker, so a number
    /// taken by the step is held for one round trip less (decision 180). See <see cref="CommittedWithWrite"/>.
    /// </remarks>
    public async Task<WrittenStep> SaveStateAsync(int expectedVersion, IdempotentCommand? answer, CancellationToken cancellationToken, bool commitWithWrite = false)
    {
        // UTF-8 from the serialiser straight to the statement, which stores it as text (decision 163).
        var stateJson = JsonSerializer.SerializeToUtf8Bytes(state, EngineJson.State);
        var status = StoredName.Of(state.Status);
        var statusChanged = status != row.Status || state.Result != row.Result || state.EndedAt != row.EndedAt;
        var update = new StateUpdate(row.Id, expectedVersion, stateJson, status, state.Result, _sequence, _head, now, state.EndedAt, statusChanged);
        var written = await StepWrites.SaveStepAsync(db, update, _votes, _events, answer, _sealed ?? [], _issuedNumbers ?? [], _issuedDocuments ?? [], commitWithWrite, cancellationToken);
        if (written == StepWritten.LostRace)
        {
            throw new ConcurrencyConflictException($"Instance {row.Id} changed since version {expectedVersion} was read (or a voter had already voted).");
        }

        CommittedWithWrite = written == StepWritten.AndCommitted;

        return new WrittenStep(row.Id, expectedVersion + 1, stateJson, state);
    }

    /// <summary>
    /// For a new instance: the row is inserted with the state and the journal head as they stand now, its events after it.
    /// Answers what was written, as <see cref="SaveStateAsync"/> does.
    /// </summary>
    public WrittenStep FillNewRow()
    {
        db.JournalEvents.AddRange(_events);
        db.SealedChoices.AddRange(_sealed ?? []);
        db.IssuedNumbers.AddRange(_issuedNumbers ?? []);
        db.Set<IssuedDocument>().AddRange(_issuedDocuments ?? []);
        var stateUtf8 = JsonSerializer.SerializeToUtf8Bytes(state, EngineJson.State);
        row.StateJson = System.Text.Encoding.UTF8.GetString(stateUtf8);
        row.Status = StoredName.Of(state.Status);
        row.Result = state.Result;
        row.JournalSequence = _sequence;
        row.JournalHead = _head;
        row.UpdatedAt = now;
        row.EndedAt = state.EndedAt;
        return new WrittenStep(row.Id, row.Version, stateUtf8, state);
    }

    public void Append(string type, JsonObject data)
    {
        var sequence = ++_sequence;
        var dataJson = data.ToJsonString(EngineJson.Options);
        var hash = JournalChain.Compute(keys, _head, row.Id, sequence, type, now, dataJson);
        _events.Add(new JournalEvent
        {
            InstanceId = row.Id, Sequence = sequence, CommunityId = row.CommunityId, Type = type,
            DataJson = dataJson, OccurredAt = now, PreviousHash = _head, Hash = hash, HashScheme = JournalChain.KeyedScheme,
        });
        _head = hash;
    }

    private async Task IssueNumberAsync(NumberRequested request, CancellationToken cancellationToken)
    {
        var number = await NumberAllocator.NextAsync(db, row.CommunityId, request.Series, request.Year, request.Format, cancellationToken);
        var record = state.Variables[request.ActivityId] as JsonObject ?? [];
        record["number"] = number;
        record["series"] = request.Series;
        record["issuedAt"] = now;
        state.Variables[request.ActivityId] = record;
        (_issuedNumbers ??= []).Add(new IssuedNumber
        {
            CommunityId = row.CommunityId, Series = request.Series, Number = number, Year = request.Year,
            InstanceId = row.Id, ActivityId = request.ActivityId, IssuedAt = now,
        });
        Append(JournalEventTypes.NumberIssued, new JsonObject { ["activity"] = request.ActivityId, ["series"] = request.Series, ["number"] = number });
    }

    private async Task MoveDeadlineAsync(DeadlineMoved moved, CancellationToken cancellationToken)
    {
        if (_addedItems is not null && _addedItems.TryGetValue(moved.BookmarkId, out var added))
        {
            added.DueAt = moved.DueAt;
            return;
        }

        var updated = await EffectWrites.MoveDeadlineAsync(db, row.Id, moved.BookmarkId, moved.DueAt, cancellationToken);
        EnsureOne(updated, $"work item {moved.BookmarkId}");
    }

    /// <summary>Who holds the task now (claim, release, transfer, delegation); guarded by status like every other change of an item.</summary>
    private async Task ChangeHoldingAsync(TaskHoldingChanged holding, CancellationToken cancellationToken)
    {
        if (_addedItems is not null && _addedItems.TryGetValue(holding.BookmarkId, out var added))
        {
            (added.HolderId, added.DelegateId) = (holding.HolderId, holding.DelegateId);
            return;
        }

        var updated = await EffectWrites.ChangeHoldingAsync(db, row.Id, holding.BookmarkId, holding.HolderId, holding.DelegateId, cancellationToken);
        EnsureOne(updated, $"work item {holding.BookmarkId}");
    }

    /// <summary>A leave moved an open task to a deputy (decision 132): the work item names its new assignee.</summary>
    private async Task ReassignAsync(TaskReassigned reassigned, CancellationToken cancellationToken)
    {
        var updated = await EffectWrites.ReassignAsync(db, row.Id, reassigned.BookmarkId, StoredName.Of(reassigned.Assignee.Kind), reassigned.Assignee.Value, cancellationToken);
        EnsureOne(updated, $"work item {reassigned.BookmarkId}");
    }

    private void AddItem(WorkItem item)
    {
        (_addedItems ??= [])[item.BookmarkId] = item;
        db.WorkItems.Add(item);
    }

    private void OpenBallot(BallotOpened opened)
    {
        AddItem(new WorkItem
        {
            InstanceId = row.Id, BookmarkId = opened.BookmarkId, CommunityId = row.CommunityId, ActivityId = opened.ActivityId,
            Kind = WorkItemKind.Ballot, Status = WorkItemStatus.Open, OpenedAt = now, DueAt = opened.DueAt ?? opened.ClosesAt,
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
            (_addedVoters ??= [])[(opened.BookmarkId, voter)] = entity;
            db.BallotVoters.Add(entity);
        }
    }

    private void RecordVote(VoteRecorded vote)
    {
        // Never write the choice next to the voter on a secret ballot (it is sealed apart, decision 91), nor the time of
        // the vote: the row says only "has voted".
        var choice = vote.Secret ? null : vote.Choice;
        var reason = vote.Secret ? null : vote.Reason;
        DateTimeOffset? respondedAt = vote.Secret ? null : now;
        if (_addedVoters is not null && _addedVoters.TryGetValue((vote.BookmarkId, vote.VoterId), out var added))
        {
            (added.Status, added.RespondedAt, added.Choice, added.Reason, added.EnteredBy) = (VoterStatus.Voted, respondedAt, choice, reason, vote.EnteredBy);
            return;
        }

        // Written with the state, in its command (SaveStateAsync): nothing in the step reads the voter's row after this.
        _votes.Add(new VoterUpdate(row.Id, vote.BookmarkId, vote.VoterId, respondedAt, choice, reason, vote.EnteredBy));
    }

    private async Task RecordRecusalAsync(RecusalRecorded recusal, CancellationToken cancellationToken)
    {
        var updated = await EffectWrites.RecuseAsync(db, row.Id, recusal.BookmarkId, recusal.Recusal.VoterId, now, recusal.Recusal.Reason, cancellationToken);
        EnsureOne(updated, $"voter {recusal.Recusal.VoterId} on {recusal.BookmarkId}");
    }

    private async Task CloseItemAsync(string bookmarkId, string? outcome, string? closedBy, CloseReason reason, CancellationToken cancellationToken)
    {
        var reasonText = reason.ToString();
        if (_addedItems is not null && _addedItems.TryGetValue(bookmarkId, out var added))
        {
            (added.Status, added.ClosedAt, added.Outcome, added.ClosedBy, added.CloseReason) = (WorkItemStatus.Closed, now, outcome, closedBy, reasonText);
            return;
        }

        var updated = await EffectWrites.CloseItemAsync(db, row.Id, bookmarkId, now, outcome, closedBy, reasonText, cancellationToken);
        EnsureOne(updated, $"work item {bookmarkId}");
    }

    /// <summary>
    /// A timer this step added is simply never stored as pending; one already stored waits for the run of cancellations it
    /// belongs to (a decided ballot cancels its deadline and reminders together), sent as one statement by
    /// <see cref="CancelTimersAsync"/> before the next other effect.
    /// </summary>
    private void CancelTimer(string timerId)
    {
        if (_addedTimers is not null && _addedTimers.TryGetValue(timerId, out var added))
        {
            added.Status = TimerStatus.Cancelled;
            return;
        }

        (_timersToCancel ??= []).Add(timerId);
    }

    private async Task CancelTimersAsync(CancellationToken cancellationToken)
    {
        if (_timersToCancel is not { Count: > 0 })
        {
            return;
        }

        await EffectWrites.CancelTimersAsync(db, row.Id, _timersToCancel, cancellationToken);
        _timersToCancel.Clear();
    }

    private void EnsureOne(int updated, string what)
    {
        if (updated != 1)
        {
            throw new ConcurrencyConflictException($"Instance {row.Id}: {what} was changed by another step.");
        }
    }
}
