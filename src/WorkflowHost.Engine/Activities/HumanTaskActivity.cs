using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>A task for a person, a role or a unit, ended by one of its declared outcomes.</summary>
public sealed record HumanTaskActivity : ActivityDefinition, IBlockingActivity, ITaskActivity, IHasDeadline, IExtendable, IUrgeable, IHoldableTask
{
    public const string TypeName = "humanTask";

    public required ParticipantSelector Assignee { get; init; }

    public required IReadOnlyList<OutcomeDefinition> Outcomes { get; init; }

    public LocalizedText? Instructions { get; init; }

    public DurationSpec? Due { get; init; }

    /// <summary>Reminders before <see cref="Due"/> to the assignees; absent: one working day before.</summary>
    public IReadOnlyList<ReminderStep>? Remind { get; init; }

    /// <summary>Who is alerted once the task is overdue; absent: the secretary at the deadline, the street committee two working days later.</summary>
    public IReadOnlyList<EscalationStep>? Escalate { get; init; }

    bool IHasDeadline.EscalatesWhenOverdue => true;

    /// <summary>Completing the task may change the instance's input (an amendment by the submitter); it is validated like the start form.</summary>
    public bool AmendsInput { get; init; }

    /// <summary>The task's own form, same model as the start form; see TaskForms.cs.</summary>
    public IReadOnlyList<InputField> Fields { get; init; } = [];

    /// <summary>The outcomes that take the form; absent: every outcome. The others accept no data.</summary>
    public IReadOnlyList<string>? FieldsFor { get; init; }

    /// <summary>Which moves between people the task allows (claim, transfer, delegate; a claim timeout); absent: <see cref="TaskMoveRules.Default"/>.</summary>
    public TaskMoveRules? Moves { get; init; }

    TaskMoveRules IHoldableTask.MoveRules => Moves ?? TaskMoveRules.Default;

    public override IReadOnlyList<string> DeclaredOutcomes() => [.. Outcomes.Select(o => o.Name)];

    internal override void Enter(ExecutionScope scope)
    {
        var bookmark = scope.CreateBookmark(BookmarkKind.Task);
        var assignment = Absences.Route(scope, bookmark, Assignee.ToAssignment(scope.State));
        bookmark.Task = new TaskPayload(assignment, DeclaredOutcomes());
        bookmark.DueAt = Due?.AddTo(scope.Now, scope.Context.Calendar);
        scope.Emit(new TaskOpened(bookmark.Id, Id, assignment, bookmark.Task.Outcomes, bookmark.DueAt));
        if (bookmark.DueAt is { } dueAt)
        {
            Deadlines.Schedule(scope, bookmark, this, "due", dueAt);
        }

        scope.Journal(JournalEventTypes.TaskOpened, new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["activity"] = Id,
            ["assignee"] = $"{assignment.Kind.ToString().ToLowerInvariant()}:{assignment.Value}",
            ["dueAt"] = bookmark.DueAt,
        });
    }

    Refusal? ITaskActivity.Complete(ExecutionScope scope, Bookmark bookmark, CompleteTask stimulus)
    {
        if (TaskCompletion.Check(scope, bookmark, stimulus) is { } notAllowed)
        {
            return notAllowed;
        }

        if (bookmark.Task!.SignerFor is not null)
        {
            return Signers.Give(scope, bookmark, stimulus);
        }

        var (data, formRefusal) = TaskForms.Check(scope, Id, Fields, FieldsFor, stimulus);
        if (formRefusal is not null)
        {
            return formRefusal;
        }

        if (stimulus.AmendedInput is not null)
        {
            if (!AmendsInput)
            {
                return new Refusal(RefusalCode.NotAllowed, $"Task '{bookmark.Id}' does not accept amended input.");
            }

            var merged = scope.State.Input.DeepClone().AsObject();
            foreach (var (name, value) in stimulus.AmendedInput)
            {
                merged[name] = value?.DeepClone();
            }

            var checkedInput = InputValidation.Validate(scope.Definition, merged, scope.Context, previous: scope.State.Input);
            if (checkedInput.Refusal is { } refusal)
            {
                return refusal;
            }

            var changes = InputChanges.Between(scope.State.Input, checkedInput.Normalised!, stimulus.AmendedInput.Select(kv => kv.Key));
            scope.State.Input = checkedInput.Normalised!;
            scope.ReferenceAttachments(scope.Definition.Inputs, checkedInput.Normalised);
            scope.Journal(JournalEventTypes.InputAmended, new JsonObject
            {
                ["bookmark"] = bookmark.Id,
                ["fields"] = new JsonArray([.. changes.Select(c => JsonValue.Create(c.Field))]),
                ["changes"] = new JsonArray([.. changes.Select(c => c.ToJson())]),
            });
        }

        scope.CloseBookmark(bookmark);
        scope.Emit(new TaskClosed(bookmark.Id, CloseReason.Completed, stimulus.Outcome, stimulus.ActorId));
        var record = scope.VariablesOf(Id);
        record["outcome"] = stimulus.Outcome;
        record["completedBy"] = stimulus.ActorId;
        record["comment"] = stimulus.Comment;
        TaskForms.Record(record, data);
        var completed = new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["by"] = stimulus.ActorId,
            ["outcome"] = stimulus.Outcome,
            ["comment"] = stimulus.Comment,
        };
        TaskForms.JournalAttachments(scope, completed, Fields, data);
        scope.Journal(JournalEventTypes.TaskCompleted, completed);
        scope.Complete(stimulus.Outcome);
        return null;
    }

    void IBlockingActivity.Cancel(ExecutionScope scope, Bookmark bookmark, CloseReason reason) =>
        scope.Emit(new TaskClosed(bookmark.Id, reason));

    // An opinion task (加签) closes at its deadline, so a moved deadline must keep that timer's meaning.
    Refusal? IExtendable.ExtendDeadline(ExecutionScope scope, Bookmark bookmark, ExtendDeadline extend) =>
        bookmark.Task?.SignerFor is not null
            ? Signers.Extend(scope, bookmark, extend)
            : Deadlines.Extend(scope, bookmark, this, "due", extend, Assignees(scope, bookmark));

    IReadOnlyList<string> IUrgeable.NotActed(ExecutionScope scope, Bookmark bookmark) => Assignees(scope, bookmark);

    /// <summary>The people who can still complete the task: everyone it is assigned to, as the directory stands now.</summary>
    private static IReadOnlyList<string> Assignees(ExecutionScope scope, Bookmark bookmark)
    {
        var assignment = bookmark.Task!.Assignee;
        var directory = scope.Context.Directory;
        if (bookmark.Task.InHand is { } inHand)
        {
            return [inHand];
        }

        // Offered to many: those away on leave are skipped (Absences.cs).
        return assignment.Kind switch
        {
            AssignmentKind.Role => Absences.Present(scope, directory.InRole(assignment.Value).Select(p => p.Id)),
            AssignmentKind.Unit => Absences.Present(scope, directory.LiaisonsOf(assignment.Value).Select(p => p.Id)),
            _ => [assignment.Value],
        };
    }

    Refusal? IBlockingActivity.TimerFired(ExecutionScope scope, Bookmark bookmark, string timerId)
    {
        if (TaskHolding.TryFireClaimTimeout(scope, bookmark, timerId) || Signers.TryFireDue(scope, bookmark, timerId))
        {
            return null;
        }

        if (Deadlines.TryFire(scope, bookmark, this, timerId, Assignees(scope, bookmark)))
        {
            return null;
        }

        // Overdue never completes a task; it is recorded, and the reminder chain (if any) takes it from here.
        bookmark.TimerIds.Remove(timerId);
        scope.Journal(JournalEventTypes.TaskOverdue, new JsonObject { ["bookmark"] = bookmark.Id, ["dueAt"] = bookmark.DueAt });
        return null;
    }
}

public sealed record OutcomeDefinition
{
    public required string Name { get; init; }

    public LocalizedText? Label { get; init; }
}
