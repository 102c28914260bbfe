using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// A collection window (报名、认领): people chosen by <see cref="Contributors"/> add items (a unit's pledge of a facility,
/// volunteers, money or equipment) checked against <see cref="Fields"/>, and may retract their own while it is open,
/// until a person chosen by <see cref="ClosedBy"/> closes it (or <see cref="ClosesAfter"/> passes). Ends with <c>closed</c>.
/// An item can reserve a shared facility for a time range (<see cref="Reserve"/>): the store refuses an overlap with any
/// other reservation of that facility, in any instance.
/// </summary>
public sealed record CollectActivity : ActivityDefinition, IBlockingActivity, ITaskActivity
{
    public const string TypeName = "collect";
    public const string Closed = "closed";

    /// <summary>The outcome of the task that closes the window.</summary>
    public const string CloseOutcome = "close";

    public const int DefaultMaxItems = 100;

    public required ParticipantSelector Contributors { get; init; }

    /// <summary>The fields of each contribution, same model as the start form.</summary>
    public required IReadOnlyList<InputField> Fields { get; init; }

    public int? MaxItems { get; init; }

    /// <summary>Who closes the window (a task with the single outcome <c>close</c>).</summary>
    public required ParticipantSelector ClosedBy { get; init; }

    /// <summary>Closes the window by itself after this long (optional).</summary>
    public DurationSpec? ClosesAfter { get; init; }

    public ReservationSpec? Reserve { get; init; }

    public LocalizedText? Instructions { get; init; }

    public override IReadOnlyList<string> DeclaredOutcomes() => [Closed];

    internal override void Enter(ExecutionScope scope)
    {
        var bookmark = scope.CreateBookmark(BookmarkKind.Task);
        var assignment = ClosedBy.ToAssignment(scope.State);
        bookmark.Task = new TaskPayload(assignment, [CloseOutcome]);
        bookmark.DueAt = ClosesAfter?.AddTo(scope.Now, scope.Context.Calendar);
        scope.Emit(new TaskOpened(bookmark.Id, Id, assignment, bookmark.Task.Outcomes, bookmark.DueAt));
        if (bookmark.DueAt is { } closesAt)
        {
            scope.ScheduleTimer(bookmark, "closes", TimerPurpose.Deadline, closesAt);
        }

        scope.State.Variables[Id] = new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["items"] = new JsonArray(),
            ["retracted"] = new JsonArray(),
            ["count"] = 0,
            ["units"] = new JsonArray(),
            ["nextIndex"] = 0,
        };
        scope.Journal(JournalEventTypes.CollectionOpened, new JsonObject { ["bookmark"] = bookmark.Id, ["activity"] = Id, ["closesAt"] = bookmark.DueAt });
    }

    internal Refusal? Contribute(ExecutionScope scope, Bookmark bookmark, Contribute contribution)
    {
        var actor = scope.Context.Directory.Find(contribution.ActorId);
        if (!Contributors.ToAssignment(scope.State).Allows(actor))
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{contribution.ActorId}' may not contribute to '{bookmark.Id}'.");
        }

        var record = scope.VariablesOf(Id);
        var items = record["items"]!.AsArray();
        var max = MaxItems ?? DefaultMaxItems;
        if (items.Count >= max)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{bookmark.Id}' already holds its maximum of {max} contributions.");
        }

        var (item, refusal) = InputValidation.ValidateFields(Fields, contribution.Item, scope.Context, Id, "The contribution is not valid.");
        if (refusal is not null)
        {
            return refusal;
        }

        var index = record["nextIndex"]!.GetValue<int>();
        var entry = new JsonObject
        {
            ["index"] = index,
            ["by"] = actor!.Id,
            ["unit"] = actor.UnitId,
            ["at"] = scope.Now,
            ["item"] = item,
        };

        if (Reserve is not null && Reserve.AppliesTo(item!))
        {
            var (reservation, problem) = Reserve.Resolve(scope, item!);
            if (problem is not null)
            {
                return problem;
            }

            entry["reservation"] = new JsonObject
            {
                ["resource"] = reservation!.Value.Resource,
                ["startsAt"] = reservation.Value.StartsAt,
                ["endsAt"] = reservation.Value.EndsAt,
            };
            scope.Emit(new ReservationRequested(Id, index, reservation.Value.Resource, Reserve.Resource, actor.UnitId, reservation.Value.StartsAt, reservation.Value.EndsAt));
        }

        items.Add(entry);
        record["nextIndex"] = index + 1;
        Summarise(record);
        scope.Journal(JournalEventTypes.ContributionAdded, new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["index"] = index,
            ["by"] = actor.Id,
            ["unit"] = actor.UnitId,
            ["item"] = item!.DeepClone(),
        });
        scope.ReferenceAttachments(Fields, item);
        return null;
    }

    internal Refusal? Retract(ExecutionScope scope, Bookmark bookmark, RetractContribution retract)
    {
        var record = scope.VariablesOf(Id);
        var items = record["items"]!.AsArray();
        var entry = items.Select(i => i!.AsObject()).FirstOrDefault(i => i["index"]!.GetValue<int>() == retract.Index);
        if (entry is null)
        {
            return new Refusal(RefusalCode.NotFound, $"'{bookmark.Id}' has no contribution {retract.Index.ToString(CultureInfo.InvariantCulture)}.");
        }

        var actor = scope.Context.Directory.Find(retract.ActorId);
        var unit = entry["unit"]?.GetValue<string>();
        var own = actor is not null && (actor.Id == entry["by"]!.GetValue<string>()
            || (unit is not null && actor.UnitId == unit && actor.HasRole(RoleNames.UnitLiaison)));
        if (!own)
        {
            return new Refusal(RefusalCode.NotAllowed, "Only the contributor or a liaison of the same unit can retract a contribution.");
        }

        items.Remove(entry);
        entry["retractedBy"] = retract.ActorId;
        entry["retractedAt"] = scope.Now;
        entry["reason"] = retract.Reason;
        record["retracted"]!.AsArray().Add(entry);
        Summarise(record);
        if (entry["reservation"] is not null)
        {
            scope.Emit(new ReservationReleased(Id, retract.Index));
        }

        scope.Journal(JournalEventTypes.ContributionRetracted, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["index"] = retract.Index, ["by"] = retract.ActorId, ["reason"] = retract.Reason,
        });
        return null;
    }

    Refusal? ITaskActivity.Complete(ExecutionScope scope, Bookmark bookmark, CompleteTask stimulus)
    {
        // The task's only outcome is CloseOutcome (see Enter).
        if (TaskCompletion.Check(scope, bookmark, stimulus, notAssignee: $"'{stimulus.ActorId}' may not close '{bookmark.Id}'.") is { } notAllowed)
        {
            return notAllowed;
        }

        if (stimulus.Data is { Count: > 0 } || stimulus.AmendedInput is not null)
        {
            return new Refusal(RefusalCode.NotAllowed, $"Task '{bookmark.Id}' accepts no data; contributions are added one by one.");
        }

        scope.CloseBookmark(bookmark);
        scope.Emit(new TaskClosed(bookmark.Id, CloseReason.Completed, CloseOutcome, stimulus.ActorId));
        Close(scope, bookmark, stimulus.ActorId, stimulus.Comment);
        return null;
    }

    void IBlockingActivity.Cancel(ExecutionScope scope, Bookmark bookmark, CloseReason reason) =>
        scope.Emit(new TaskClosed(bookmark.Id, reason));

    Refusal? IBlockingActivity.TimerFired(ExecutionScope scope, Bookmark bookmark, string timerId)
    {
        scope.CloseBookmark(bookmark, timerId);
        scope.Emit(new TaskClosed(bookmark.Id, CloseReason.DeadlinePassed));
        Close(scope, bookmark, closedBy: null, comment: null);
        return null;
    }

    private void Close(ExecutionScope scope, Bookmark bookmark, string? closedBy, string? comment)
    {
        var record = scope.VariablesOf(Id);
        record["closedBy"] = closedBy;
        record["closedAt"] = scope.Now;
        record["comment"] = comment;
        scope.Journal(JournalEventTypes.CollectionClosed, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["by"] = closedBy, ["count"] = record["count"]!.GetValue<int>(),
        });
        scope.Complete(Closed);
    }

    private static void Summarise(JsonObject record)
    {
        var items = record["items"]!.AsArray();
        record["count"] = items.Count;
        record["units"] = new JsonArray([.. items
            .Select(i => i!["unit"]?.GetValue<string>())
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(u => JsonValue.Create(u))]);
    }
}

/// <summary>
/// How a contribution reserves a resource: <see cref="Resource"/>, <see cref="From"/> and <see cref="To"/> name item fields
/// (the facility id and two <c>time</c> fields); the day comes from <see cref="Date"/> (a path in the instance data, such as
/// <c>input.date</c>) or <see cref="DateField"/> (an item field). <see cref="OnlyIf"/> limits it to some items.
/// </summary>
public sealed record ReservationSpec
{
    public required string Resource { get; init; }

    public string? Date { get; init; }

    public string? DateField { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    public FieldTest? OnlyIf { get; init; }

    internal bool AppliesTo(JsonObject item) => OnlyIf is null || OnlyIf.Holds(item);

    internal ((string Resource, DateTimeOffset StartsAt, DateTimeOffset EndsAt)? Reservation, Refusal? Problem) Resolve(ExecutionScope scope, JsonObject item)
    {
        var errors = new Dictionary<string, string[]>();
        var resource = item[Resource] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
        if (resource is null)
        {
            errors[Resource] = [$"'{Resource}' is required for a reservation."];
        }

        var dateNode = DateField is not null ? item[DateField] : DataPath.Resolve(scope.DataView(), Date!);
        DateOnly? day = dateNode is JsonValue d && d.GetValueKind() == JsonValueKind.String
            && DateOnly.TryParseExact(d.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;
        if (day is null)
        {
            errors[DateField ?? "date"] = [$"The reservation's date ({DateField ?? Date}) is missing."];
        }

        var from = TimeOf(item[From]);
        var to = TimeOf(item[To]);
        if (from is null)
        {
            errors[From] = [$"'{From}' is required for a reservation."];
        }

        if (to is null)
        {
            errors[To] = [$"'{To}' is required for a reservation."];
        }
        else if (from is not null && to <= from)
        {
            errors[To] = [$"'{To}' must be later than '{From}'."];
        }

        if (errors.Count > 0)
        {
            return (null, new Refusal(RefusalCode.InvalidInput, "The reservation is not complete.", errors));
        }

        var calendar = scope.Context.Calendar;
        return ((resource!, calendar.At(day!.Value, from!.Value), calendar.At(day.Value, to!.Value)), null);
    }

    private static TimeOnly? TimeOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && TimeOnly.TryParseExact(v.GetValue<string>(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
}
