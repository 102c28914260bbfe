using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// The moves of a task between people: claim, release, transfer, delegate and return (the resource patterns of approval
/// offices). The task keeps its assignment; what moves is who has it in hand (<see cref="TaskPayload.Holder"/>) and who
/// prepares it (<see cref="TaskPayload.DelegatedTo"/>). Every move is journaled with who, when (the event's time) and why,
/// and tells the store through <see cref="TaskHoldingChanged"/> so the inbox shows the holder.
/// </summary>
internal static class TaskHolding
{
    public const string ClaimTimeoutPrefix = "claim-timeout";
    public const string TransferredTemplate = "task-transferred";
    public const string DelegatedTemplate = "task-delegated";
    public const string ReturnedTemplate = "task-returned";

    public static Refusal? Claim(ExecutionScope scope, Bookmark bookmark, TaskMoveRules rules, ClaimTask claim)
    {
        var task = bookmark.Task!;
        if (task.Assignee.Kind == AssignmentKind.Person)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{bookmark.Id}' is assigned to one person; there is nothing to claim.");
        }

        if (!rules.Claim)
        {
            return new Refusal(RefusalCode.NotAllowed, $"The process does not let '{bookmark.ActivityId}' be claimed.");
        }

        if (!task.Assignee.Allows(scope.Context.Directory.Find(claim.ActorId)))
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{claim.ActorId}' is not among the people '{bookmark.Id}' is offered to.");
        }

        if (Absences.IsAway(scope, claim.ActorId))
        {
            return Absences.Away(claim.ActorId, scope.Context.Directory.Find(claim.ActorId));
        }

        if (task.Holder is { } holder)
        {
            return new Refusal(RefusalCode.AlreadyClaimed, holder == claim.ActorId
                ? $"You already hold '{bookmark.Id}'."
                : $"'{bookmark.Id}' is already held by '{holder}'.");
        }

        Hand(scope, bookmark, rules, claim.ActorId);
        scope.Journal(JournalEventTypes.TaskClaimed, new JsonObject { ["bookmark"] = bookmark.Id, ["by"] = claim.ActorId });
        return null;
    }

    public static Refusal? Release(ExecutionScope scope, Bookmark bookmark, ReleaseTask release)
    {
        var task = bookmark.Task!;
        if (task.Holder != release.ActorId)
        {
            return NotHolder(bookmark, task, release.ActorId, "release");
        }

        if (task.DelegatedTo is not null)
        {
            return StillDelegated(bookmark, task);
        }

        OfferBack(scope, bookmark);
        scope.Journal(JournalEventTypes.TaskReleased, new JsonObject { ["bookmark"] = bookmark.Id, ["by"] = release.ActorId, ["reason"] = release.Reason });
        return null;
    }

    public static Refusal? Transfer(ExecutionScope scope, Bookmark bookmark, TaskMoveRules rules, TransferTask transfer)
    {
        var task = bookmark.Task!;
        if (!rules.Transfer)
        {
            return new Refusal(RefusalCode.NotAllowed, $"The process does not let '{bookmark.ActivityId}' be transferred.");
        }

        if (task.Assignee.Kind == AssignmentKind.Person)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{bookmark.Id}' is assigned to one person by name; it cannot be passed to anyone else.");
        }

        if (task.Holder != transfer.ActorId)
        {
            return NotHolder(bookmark, task, transfer.ActorId, "transfer");
        }

        if (task.DelegatedTo is not null)
        {
            return StillDelegated(bookmark, task);
        }

        if (string.IsNullOrWhiteSpace(transfer.Reason) || transfer.Reason.Length > TaskMoveLimits.MaxReasonLength)
        {
            return ReasonRefusal("reason", TaskMoveLimits.MaxReasonLength);
        }

        var target = scope.Context.Directory.Find(transfer.ToPersonId);
        if (target is null || target.Id == transfer.ActorId || !task.Assignee.Allows(target))
        {
            return new Refusal(RefusalCode.NotAllowed, target is null
                ? $"'{transfer.ToPersonId}' is not known in this community."
                : target.Id == transfer.ActorId ? "A task cannot be transferred to its own holder."
                : $"'{target.Id}' may not hold '{bookmark.Id}': it is offered to {Describe(task.Assignee)} only.");
        }

        if (target.IsAwayOn(Absences.Today(scope)))
        {
            return Absences.Away(target.Id, target);
        }

        Hand(scope, bookmark, rules, target.Id);
        scope.Journal(JournalEventTypes.TaskTransferred, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["by"] = transfer.ActorId, ["to"] = target.Id, ["reason"] = transfer.Reason,
        });
        Notify(scope, bookmark, TransferredTemplate, target.Id, transfer.Reason);
        return null;
    }

    public static Refusal? Delegate(ExecutionScope scope, Bookmark bookmark, TaskMoveRules rules, DelegateTask delegation)
    {
        var task = bookmark.Task!;
        if (!rules.Delegate)
        {
            return new Refusal(RefusalCode.NotAllowed, $"The process does not let '{bookmark.ActivityId}' be delegated.");
        }

        if (task.InHand != delegation.ActorId)
        {
            return NotHolder(bookmark, task, delegation.ActorId, "delegate");
        }

        if (task.DelegatedTo is not null)
        {
            return StillDelegated(bookmark, task);
        }

        if (delegation.Note is { Length: > TaskMoveLimits.MaxNoteLength })
        {
            return ReasonRefusal("note", TaskMoveLimits.MaxNoteLength);
        }

        // A colleague: anyone of the community's own staff or committee, not the holder themselves. The colleague only
        // prepares; the holder still decides, so the circle is wider than the task's assignment.
        var colleague = scope.Context.Directory.Find(delegation.ToPersonId);
        if (colleague is null || colleague.Id == delegation.ActorId)
        {
            return new Refusal(RefusalCode.NotAllowed, colleague is null
                ? $"'{delegation.ToPersonId}' is not known in this community."
                : "A task cannot be delegated to its own holder.");
        }

        bookmark.Task = task with { DelegatedTo = colleague.Id, Touched = true };
        scope.Emit(new TaskHoldingChanged(bookmark.Id, task.Holder, colleague.Id));

        // The colleague keeps reading the case they prepared after handing it back (docs/decisions/0130).
        scope.Emit(new CaseReadersAdded([colleague.Id], CaseReaderReason.Prepared, delegation.ActorId));
        scope.State.PreparedBy.Add(new PreparedReader(colleague.Id, delegation.ActorId));
        scope.State.PreparedReadingEnded.Remove(colleague.Id);
        scope.Journal(JournalEventTypes.TaskDelegated, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["by"] = delegation.ActorId, ["to"] = colleague.Id, ["note"] = delegation.Note,
        });
        Notify(scope, bookmark, DelegatedTemplate, colleague.Id, delegation.Note);
        return null;
    }

    public static Refusal? Return(ExecutionScope scope, Bookmark bookmark, ReturnDelegatedTask back)
    {
        var task = bookmark.Task!;
        if (task.DelegatedTo != back.ActorId)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{back.ActorId}' was not asked to prepare '{bookmark.Id}'.");
        }

        if (string.IsNullOrWhiteSpace(back.Note) || back.Note.Length > TaskMoveLimits.MaxNoteLength)
        {
            return ReasonRefusal("note", TaskMoveLimits.MaxNoteLength);
        }

        bookmark.Task = task with { DelegatedTo = null };
        scope.Emit(new TaskHoldingChanged(bookmark.Id, task.Holder, null));

        // The note stays with the step, so the holder reads it where they complete the task.
        var record = scope.VariablesOf(bookmark.ActivityId);
        if (record["prepared"] is not JsonArray prepared)
        {
            record["prepared"] = prepared = [];
        }

        prepared.Add(new JsonObject { ["bookmark"] = bookmark.Id, ["by"] = back.ActorId, ["note"] = back.Note, ["at"] = scope.Now });
        scope.Journal(JournalEventTypes.TaskDelegationReturned, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["by"] = back.ActorId, ["to"] = task.InHand, ["note"] = back.Note,
        });
        if (task.InHand is { } holder)
        {
            Notify(scope, bookmark, ReturnedTemplate, holder, back.Note);
        }

        return null;
    }

    /// <summary>
    /// The check before a task is completed: a held task is completed by its holder only, and not while it is out with a
    /// colleague. An unclaimed task offered to a role can still be completed straight away by any of the role.
    /// </summary>
    public static Refusal? CheckCompletion(Bookmark bookmark, string actorId)
    {
        var task = bookmark.Task!;
        if (task.Holder is { } holder && holder != actorId)
        {
            return new Refusal(RefusalCode.NotHolder, $"'{bookmark.Id}' is held by '{holder}'; only the holder completes it.");
        }

        return task.DelegatedTo is not null ? StillDelegated(bookmark, task) : Signers.Waiting(bookmark);
    }

    /// <summary>A comment by the holder on the task counts as working on it: the claim timeout leaves the task with them.</summary>
    public static void Touch(Bookmark bookmark, string actorId)
    {
        if (bookmark.Task is { } task && task.Holder == actorId && !task.Touched)
        {
            bookmark.Task = task with { Touched = true };
        }
    }

    /// <summary>
    /// A claim timeout fell due. Only the current hold's timer counts (its generation is in the id), and only if the holder
    /// has not worked on the task: then it is offered back to everyone, journaled. Returns false for any other timer.
    /// </summary>
    public static bool TryFireClaimTimeout(ExecutionScope scope, Bookmark bookmark, string timerId)
    {
        var step = Deadlines.StepOf(timerId);
        if (!step.StartsWith(ClaimTimeoutPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        bookmark.TimerIds.Remove(timerId);
        var task = bookmark.Task!;
        if (timerId != ClaimTimerId(bookmark, task.HoldGeneration) || task.Holder is null || task.Touched || task.DelegatedTo is not null)
        {
            return true;
        }

        var holder = task.Holder;
        OfferBack(scope, bookmark, firedTimerId: timerId);
        scope.Journal(JournalEventTypes.TaskOfferedBack, new JsonObject { ["bookmark"] = bookmark.Id, ["from"] = holder, ["reason"] = "claimTimeout" });
        return true;
    }

    /// <summary>The holder's leave started (Absences.RouteOpenTasks): the task goes back on offer to the others, journaled.</summary>
    public static void OfferBackForLeave(ExecutionScope scope, Bookmark bookmark)
    {
        var holder = bookmark.Task!.Holder;
        OfferBack(scope, bookmark);
        scope.Journal(JournalEventTypes.TaskOfferedBack, new JsonObject { ["bookmark"] = bookmark.Id, ["from"] = holder, ["reason"] = "leave" });
    }

    /// <summary>A notice of a move to <paramref name="recipient"/>, as the moves here send them.</summary>
    public static void NotifyOf(ExecutionScope scope, Bookmark bookmark, string template, string recipient, string? reason) =>
        Notify(scope, bookmark, template, recipient, reason);

    private static void Hand(ExecutionScope scope, Bookmark bookmark, TaskMoveRules rules, string holder)
    {
        var task = bookmark.Task!;
        CancelClaimTimer(scope, bookmark, task);
        var generation = task.HoldGeneration + 1;
        bookmark.Task = task with { Holder = holder, HoldGeneration = generation, Touched = false };
        scope.Emit(new TaskHoldingChanged(bookmark.Id, holder, null));
        if (rules.ClaimTimeout is { } timeout)
        {
            scope.ScheduleTimer(bookmark, Suffix(generation), TimerPurpose.ClaimTimeout, timeout.AddTo(scope.Now, scope.Context.Calendar));
        }
    }

    private static void OfferBack(ExecutionScope scope, Bookmark bookmark, string? firedTimerId = null)
    {
        var task = bookmark.Task!;
        if (firedTimerId is null)
        {
            CancelClaimTimer(scope, bookmark, task);
        }

        bookmark.Task = task with { Holder = null, Touched = false };
        scope.Emit(new TaskHoldingChanged(bookmark.Id, null, null));
    }

    private static void CancelClaimTimer(ExecutionScope scope, Bookmark bookmark, TaskPayload task)
    {
        var timerId = ClaimTimerId(bookmark, task.HoldGeneration);
        if (bookmark.TimerIds.Remove(timerId))
        {
            scope.Emit(new TimerCancelled(timerId));
        }
    }

    private static string Suffix(int generation) => $"{ClaimTimeoutPrefix}~{generation.ToString(CultureInfo.InvariantCulture)}";

    private static string ClaimTimerId(Bookmark bookmark, int generation) => $"{bookmark.Id}:{Suffix(generation)}";

    private static Refusal NotHolder(Bookmark bookmark, TaskPayload task, string actorId, string move) =>
        new(RefusalCode.NotHolder, task.InHand is { } holder
            ? $"'{bookmark.Id}' is held by '{holder}'; only the holder can {move} it."
            : $"'{bookmark.Id}' is not held by anyone; claim it before you {move} it.");

    private static Refusal StillDelegated(Bookmark bookmark, TaskPayload task) =>
        new(RefusalCode.Delegated, $"'{bookmark.Id}' is being prepared by '{task.DelegatedTo}'; wait until it comes back.");

    private static Refusal ReasonRefusal(string field, int max)
    {
        var message = $"Give a {field} of at most {max.ToString(CultureInfo.InvariantCulture)} characters.";
        return new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { [field] = [message] });
    }

    private static string Describe(Assignment assignment) => assignment.Kind switch
    {
        AssignmentKind.Role => $"the role '{assignment.Value}'",
        AssignmentKind.Unit => $"the liaisons of unit '{assignment.Value}'",
        _ => $"'{assignment.Value}'",
    };

    private static void Notify(ExecutionScope scope, Bookmark bookmark, string template, string recipient, string? reason)
    {
        var data = StepNoticeData.For(scope, bookmark, template, reason);

        // Keyed by the journal position, so each move notifies once even if the same person is handed the task twice.
        var key = $"{scope.State.InstanceId}/{bookmark.Id}:{template}~{scope.State.NextSequence++.ToString(CultureInfo.InvariantCulture)}/{recipient}";
        scope.Emit(new NotificationRequested(key, recipient, template, data));
    }
}
