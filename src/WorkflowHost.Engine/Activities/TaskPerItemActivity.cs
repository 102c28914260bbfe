using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// One task per item of a list in the instance data (督办: follow-up actions to their responsible units; pledges to the
/// units that made them), each with its own assignee, due date, reminders and escalation. Ends with <c>done</c> when every
/// item task is completed, or <c>closed</c> when a person chosen by <see cref="ClosableBy"/> closes the lot early with a reason.
/// </summary>
public sealed record TaskPerItemActivity : ActivityDefinition, IBlockingActivity, ITaskActivity, IExtendable, IHoldableTask
{
    public const string TypeName = "taskPerItem";
    public const string AllDone = "done";
    public const string ClosedEarly = "closed";

    /// <summary>The outcome of the supervision task that closes every open item task early.</summary>
    public const string CloseOutcome = "close";

    /// <summary>Path to the list (e.g. <c>activities.record-resolution.data.actions</c>).</summary>
    public required string Items { get; init; }

    /// <summary>Path to a unit id (usually <c>item.unit</c>): the task goes to that unit's liaisons. Or use <see cref="Assignee"/>.</summary>
    public string? AssignUnit { get; init; }

    public ParticipantSelector? Assignee { get; init; }

    /// <summary>Path to a date (<c>item.dueDate</c>, <c>input.date</c>): due at the end of that working day. Or use <see cref="Due"/>.</summary>
    public string? DueDate { get; init; }

    public DurationSpec? Due { get; init; }

    public IReadOnlyList<ReminderStep>? Remind { get; init; }

    public IReadOnlyList<EscalationStep>? Escalate { get; init; }

    /// <summary>Path to the text that names each task (e.g. <c>item.description</c>).</summary>
    public string? Title { get; init; }

    public LocalizedText? Instructions { get; init; }

    /// <summary>The outcomes of each item task; default one, <c>done</c>.</summary>
    public IReadOnlyList<OutcomeDefinition> Outcomes { get; init; } = [new() { Name = AllDone, Label = LocalizedText.Of("已完成", "Done") }];

    /// <summary>A form for each item task (a completion report), same model as the start form.</summary>
    public IReadOnlyList<InputField> Fields { get; init; } = [];

    public IReadOnlyList<string>? FieldsFor { get; init; }

    /// <summary>Who may close the remaining item tasks early (with a reason); absent: nobody, every item must be completed.</summary>
    public ParticipantSelector? ClosableBy { get; init; }

    /// <summary>
    /// Who may move an item task's deadline (with a reason). Absent: the secretary, as on every other step; a definition
    /// may hand it to the office, say, when the office runs the follow-up (督办).
    /// </summary>
    public ParticipantSelector? ExtendableBy { get; init; }

    /// <summary>The selector that decides who may extend, with the default filled in.</summary>
    public ParticipantSelector DeadlineExtendedBy => ExtendableBy ?? new ParticipantSelector { Role = RoleNames.Secretary };

    /// <summary>Which moves between people each item task allows (claim among a unit's liaisons, transfer, delegate); absent: the defaults.</summary>
    public TaskMoveRules? Moves { get; init; }

    TaskMoveRules IHoldableTask.MoveRules => Moves ?? TaskMoveRules.Default;

    public override IReadOnlyList<string> DeclaredOutcomes() => ClosableBy is null ? [AllDone] : [AllDone, ClosedEarly];

    private IReadOnlyList<ReminderStep> Reminders => Remind ?? ItemDeadlines.DefaultReminders;

    private IReadOnlyList<EscalationStep> Escalations => Escalate ?? ItemDeadlines.DefaultEscalations;

    internal override void Enter(ExecutionScope scope)
    {
        var data = scope.DataView();
        var list = DataPath.Resolve(data, Items) as JsonArray ?? [];
        var items = new JsonArray();
        var record = new JsonObject { ["items"] = items, ["open"] = 0, ["done"] = 0 };
        scope.State.Variables[Id] = record;
        if (list.Count == 0)
        {
            scope.Journal(JournalEventTypes.ItemTasksOpened, new JsonObject { ["activity"] = Id, ["count"] = 0 });
            scope.Complete(AllDone);
            return;
        }

        if (ClosableBy is not null)
        {
            var supervision = scope.CreateBookmark(BookmarkKind.Task);
            var assignment = ClosableBy.ToAssignment(scope.State);
            supervision.Task = new TaskPayload(assignment, [CloseOutcome]);
            scope.Emit(new TaskOpened(supervision.Id, Id, assignment, supervision.Task.Outcomes, null));
            record["supervision"] = supervision.Id;
        }

        var outcomes = DeclaredItemOutcomes();
        for (var i = 0; i < list.Count; i++)
        {
            var view = DataMap.WithItem(data, list[i]);
            var assignment = AssignUnit is not null
                ? new Assignment(AssignmentKind.Unit, Text(DataPath.Resolve(view, AssignUnit)) ?? "")
                : Assignee!.ToAssignment(scope.State);
            var bookmark = scope.CreateBookmark(BookmarkKind.Task);
            bookmark.Task = new TaskPayload(assignment, outcomes);
            var due = DueDate is not null
                ? DateOf(DataPath.Resolve(view, DueDate)) is { } date ? scope.Context.Calendar.EndOfWorkingDayOn(date) : (DateTimeOffset?)null
                : Due?.AddTo(scope.Now, scope.Context.Calendar);
            scope.Emit(new TaskOpened(bookmark.Id, Id, assignment, outcomes, due));
            if (due is { } dueAt)
            {
                ItemDeadlines.Schedule(scope, bookmark, Reminders, Escalations, dueAt);
            }

            items.Add(new JsonObject
            {
                ["index"] = i,
                ["bookmark"] = bookmark.Id,
                ["title"] = Title is null ? null : Text(DataPath.Resolve(view, Title)),
                ["assignee"] = $"{assignment.Kind.ToString().ToLowerInvariant()}:{assignment.Value}",
                ["unit"] = assignment.Kind == AssignmentKind.Unit ? assignment.Value : null,
                ["dueAt"] = due,
                ["status"] = "open",
                ["source"] = list[i]?.DeepClone(),
            });
        }

        record["open"] = list.Count;
        scope.Journal(JournalEventTypes.ItemTasksOpened, new JsonObject
        {
            ["activity"] = Id,
            ["count"] = list.Count,
            ["bookmarks"] = new JsonArray([.. items.Select(item => JsonValue.Create(item!["bookmark"]!.GetValue<string>()))]),
            ["supervision"] = record["supervision"]?.DeepClone(),
        });
    }

    Refusal? ITaskActivity.Complete(ExecutionScope scope, Bookmark bookmark, CompleteTask stimulus)
    {
        if (TaskCompletion.Check(scope, bookmark, stimulus) is { } notAllowed)
        {
            return notAllowed;
        }

        var record = scope.VariablesOf(Id);
        return record["supervision"]?.GetValue<string>() == bookmark.Id
            ? CloseEarly(scope, bookmark, record, stimulus)
            : CompleteItem(scope, bookmark, record, stimulus);
    }

    private Refusal? CompleteItem(ExecutionScope scope, Bookmark bookmark, JsonObject record, CompleteTask stimulus)
    {
        var (data, formRefusal) = TaskForms.Check(scope, Id, Fields, FieldsFor, stimulus);
        if (formRefusal is not null)
        {
            return formRefusal;
        }

        var item = ItemOf(record, bookmark.Id);
        scope.CloseBookmark(bookmark);
        scope.Emit(new TaskClosed(bookmark.Id, CloseReason.Completed, stimulus.Outcome, stimulus.ActorId));
        item["status"] = "done";
        item["outcome"] = stimulus.Outcome;
        item["completedBy"] = stimulus.ActorId;
        item["completedAt"] = scope.Now;
        item["comment"] = stimulus.Comment;
        TaskForms.Record(item, data);
        var open = record["open"]!.GetValue<int>() - 1;
        record["open"] = open;
        record["done"] = record["done"]!.GetValue<int>() + 1;
        var completed = new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["by"] = stimulus.ActorId,
            ["outcome"] = stimulus.Outcome,
            ["comment"] = stimulus.Comment,
        };
        TaskForms.JournalAttachments(scope, completed, Fields, data);
        scope.Journal(JournalEventTypes.TaskCompleted, completed);

        if (open > 0)
        {
            return null;
        }

        if (SupervisionOf(scope, record) is { } supervision)
        {
            scope.CloseBookmark(supervision);
            scope.Emit(new TaskClosed(supervision.Id, CloseReason.Decided));
        }

        scope.Journal(JournalEventTypes.ItemTasksCompleted, new JsonObject { ["activity"] = Id, ["count"] = record["done"]!.GetValue<int>() });
        scope.Complete(AllDone);
        return null;
    }

    private Refusal? CloseEarly(ExecutionScope scope, Bookmark supervision, JsonObject record, CompleteTask stimulus)
    {
        if (string.IsNullOrWhiteSpace(stimulus.Comment))
        {
            return new Refusal(RefusalCode.InvalidInput, "Closing early needs a reason.",
                new Dictionary<string, string[]> { ["comment"] = ["Give the reason for closing the remaining tasks early."] });
        }

        if (stimulus.Data is { Count: > 0 } || stimulus.AmendedInput is not null)
        {
            return new Refusal(RefusalCode.NotAllowed, $"Task '{supervision.Id}' accepts only a reason.");
        }

        var closed = new JsonArray();
        foreach (var open in scope.State.Bookmarks.Where(b => b.ActivityId == Id && b.Id != supervision.Id).ToList())
        {
            scope.CloseBookmark(open);
            scope.Emit(new TaskClosed(open.Id, CloseReason.Decided));
            var item = ItemOf(record, open.Id);
            item["status"] = "closed";
            closed.Add(open.Id);
        }

        scope.CloseBookmark(supervision);
        scope.Emit(new TaskClosed(supervision.Id, CloseReason.Completed, CloseOutcome, stimulus.ActorId));
        record["open"] = 0;
        record["closedEarly"] = true;
        record["closedBy"] = stimulus.ActorId;
        record["closedAt"] = scope.Now;
        record["reason"] = stimulus.Comment.Trim();
        scope.Journal(JournalEventTypes.ItemTasksClosedEarly, new JsonObject
        {
            ["activity"] = Id,
            ["by"] = stimulus.ActorId,
            ["reason"] = stimulus.Comment.Trim(),
            ["closed"] = closed,
        });
        scope.Complete(ClosedEarly);
        return null;
    }

    void IBlockingActivity.Cancel(ExecutionScope scope, Bookmark bookmark, CloseReason reason) =>
        scope.Emit(new TaskClosed(bookmark.Id, reason));

    Refusal? IBlockingActivity.TimerFired(ExecutionScope scope, Bookmark bookmark, string timerId)
    {
        if (TaskHolding.TryFireClaimTimeout(scope, bookmark, timerId))
        {
            return null;
        }

        var item = ItemOf(scope.VariablesOf(Id), bookmark.Id);
        var assignees = ItemDeadlines.PeopleOf(bookmark.Task!.Assignee, scope.Context.Directory);
        if (ItemDeadlines.TryFire(scope, bookmark, timerId, Reminders, Escalations, assignees, item["title"]?.GetValue<string>()))
        {
            return null;
        }

        // Overdue never completes a task: it is marked, and the escalations take it from here.
        bookmark.TimerIds.Remove(timerId);
        item["overdue"] = true;
        scope.Journal(JournalEventTypes.TaskOverdue, new JsonObject { ["bookmark"] = bookmark.Id, ["dueAt"] = bookmark.DueAt });
        return null;
    }

    Refusal? IExtendable.ExtendDeadline(ExecutionScope scope, Bookmark bookmark, ExtendDeadline extend)
    {
        var record = scope.VariablesOf(Id);
        if (record["supervision"]?.GetValue<string>() == bookmark.Id)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{bookmark.Id}' supervises the item tasks and has no deadline of its own.");
        }

        var allowed = DeadlineExtendedBy.ToAssignment(scope.State);
        if (!allowed.Allows(scope.Context.Directory.Find(extend.ActorId)))
        {
            return new Refusal(RefusalCode.NotAllowed, $"Only {allowed.Kind.ToString().ToLowerInvariant()} '{allowed.Value}' can extend the deadline of an item task.");
        }

        var assignees = ItemDeadlines.PeopleOf(bookmark.Task!.Assignee, scope.Context.Directory);
        if (ItemDeadlines.Extend(scope, bookmark, Reminders, Escalations, extend, assignees) is { } refused)
        {
            return refused;
        }

        // The item's record follows: the list of items shows the new due date, and a task no longer overdue is not marked so.
        var item = ItemOf(record, bookmark.Id);
        item["dueAt"] = bookmark.DueAt;
        item.Remove("overdue");
        return null;
    }

    private IReadOnlyList<string> DeclaredItemOutcomes() => [.. Outcomes.Select(o => o.Name)];

    private static JsonObject ItemOf(JsonObject record, string bookmarkId) =>
        record["items"]!.AsArray().Select(i => i!.AsObject()).Single(i => i["bookmark"]!.GetValue<string>() == bookmarkId);

    private static Bookmark? SupervisionOf(ExecutionScope scope, JsonObject record) =>
        record["supervision"]?.GetValue<string>() is { } id ? scope.State.FindBookmark(id) : null;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString();

    private static DateOnly? DateOf(JsonNode? node) =>
        Text(node) is { } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
