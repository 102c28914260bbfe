using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// Reminders before, and escalations at or after, the due time of a task opened per item (a follow-up action, a pledge).
/// Timer ids are <c>{bookmark}:due</c>, <c>{bookmark}:remind-{i}</c> and <c>{bookmark}:escalate-{i}</c>; each notice's
/// key is <c>{instance}/{timer}/{recipient}</c>, so it is sent once. Absent lists take the same defaults as tasks and
/// ballots (<see cref="Deadlines"/>): one reminder one working day before; the secretary at the deadline, the street
/// committee two working days later. An empty list means none. An extension (<see cref="Extend"/>) lays the whole schedule
/// again under ids ending in <c>~{n}</c>, as <see cref="Deadlines"/> does, so every notice of the new deadline is sent once too.
/// </summary>
internal static class ItemDeadlines
{
    public const string DueSuffix = "due";
    private const string RemindPrefix = "remind-";
    private const string EscalatePrefix = "escalate-";

    public static IReadOnlyList<ReminderStep> DefaultReminders => Deadlines.DefaultReminders;

    public static IReadOnlyList<EscalationStep> DefaultEscalations => Deadlines.DefaultEscalations;

    public static void Schedule(ExecutionScope scope, Bookmark bookmark, IReadOnlyList<ReminderStep> reminders, IReadOnlyList<EscalationStep> escalations, DateTimeOffset due)
    {
        bookmark.DueAt = due;
        var generation = bookmark.DeadlineGeneration;
        scope.ScheduleTimer(bookmark, WithGeneration(DueSuffix, generation), TimerPurpose.Deadline, due);
        for (var i = 0; i < reminders.Count; i++)
        {
            var at = reminders[i].Before.SubtractFrom(due, scope.Context.Calendar);
            if (at > scope.Now && at < due)
            {
                scope.ScheduleTimer(bookmark, WithGeneration(RemindPrefix + i.ToString(CultureInfo.InvariantCulture), generation), TimerPurpose.Reminder, at);
            }
        }

        for (var i = 0; i < escalations.Count; i++)
        {
            var at = escalations[i].After is { } after ? after.AddTo(due, scope.Context.Calendar) : due;
            scope.ScheduleTimer(bookmark, WithGeneration(EscalatePrefix + i.ToString(CultureInfo.InvariantCulture), generation), TimerPurpose.Escalation, at > scope.Now ? at : scope.Now);
        }
    }

    /// <summary>Sends the reminder or escalation a timer stands for; false when the timer is the due time itself.</summary>
    public static bool TryFire(
        ExecutionScope scope, Bookmark bookmark, string timerId, IReadOnlyList<ReminderStep> reminders, IReadOnlyList<EscalationStep> escalations,
        IReadOnlyList<string> assignees, string? title)
    {
        var step = Deadlines.StepOf(timerId);
        if (Index(step, RemindPrefix) is { } r && r < reminders.Count)
        {
            bookmark.TimerIds.Remove(timerId);
            Notify(scope, bookmark, timerId, assignees, reminders[r].Template, title);
            scope.Journal(JournalEventTypes.ReminderSent, new JsonObject
            {
                ["bookmark"] = bookmark.Id, ["timer"] = timerId, ["recipients"] = Array(assignees), ["dueAt"] = bookmark.DueAt,
            });
            return true;
        }

        if (Index(step, EscalatePrefix) is { } e && e < escalations.Count)
        {
            bookmark.TimerIds.Remove(timerId);
            var recipients = escalations[e].Notify.ResolvePeople(scope.State, scope.Context.Directory);
            Notify(scope, bookmark, timerId, recipients, escalations[e].Template, title);
            scope.Journal(JournalEventTypes.Escalated, new JsonObject
            {
                ["bookmark"] = bookmark.Id, ["timer"] = timerId, ["recipients"] = Array(recipients), ["dueAt"] = bookmark.DueAt,
            });
            return true;
        }

        return false;
    }

    /// <summary>
    /// Moves an item task's deadline, the caller having checked who may: a reason, exactly one of by and until, a new
    /// deadline later than the current one and than now. Every pending timer is cancelled and the schedule laid again.
    /// </summary>
    public static Refusal? Extend(
        ExecutionScope scope, Bookmark bookmark, IReadOnlyList<ReminderStep> reminders, IReadOnlyList<EscalationStep> escalations,
        ExtendDeadline extend, IReadOnlyList<string> assignees)
    {
        if (string.IsNullOrWhiteSpace(extend.Reason))
        {
            return new Refusal(RefusalCode.InvalidInput, "A reason is required to extend a deadline.",
                new Dictionary<string, string[]> { ["reason"] = ["required"] });
        }

        if (bookmark.DueAt is not { } current)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{bookmark.Id}' has no deadline to extend.");
        }

        if ((extend.By is null) == (extend.Until is null))
        {
            return new Refusal(RefusalCode.InvalidInput, "Give either how long to extend by or the new deadline.",
                new Dictionary<string, string[]> { ["by"] = ["set exactly one of by and until"] });
        }

        if (extend.By is { } by && by.UnitsSet != 1)
        {
            return new Refusal(RefusalCode.InvalidInput, "A duration sets exactly one unit.",
                new Dictionary<string, string[]> { ["by"] = ["set exactly one of workingDays, days, hours, minutes, seconds"] });
        }

        var deadline = extend.Until ?? extend.By!.AddTo(current, scope.Context.Calendar);
        if (deadline <= current || deadline <= scope.Now)
        {
            return new Refusal(RefusalCode.InvalidInput, $"The new deadline must be later than the current one ({current:O}) and than now.",
                new Dictionary<string, string[]> { ["until"] = ["must be later than the current deadline and than now"] });
        }

        foreach (var timerId in bookmark.TimerIds)
        {
            scope.Emit(new TimerCancelled(timerId));
        }

        bookmark.TimerIds.Clear();
        bookmark.DeadlineGeneration++;
        Schedule(scope, bookmark, reminders, escalations, deadline);
        scope.Emit(new DeadlineMoved(bookmark.Id, deadline));
        scope.Journal(JournalEventTypes.DeadlineExtended, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["by"] = extend.ActorId, ["reason"] = extend.Reason, ["from"] = current, ["to"] = deadline,
        });
        var key = $"{bookmark.Id}:extended~{bookmark.DeadlineGeneration.ToString(CultureInfo.InvariantCulture)}";
        foreach (var recipient in assignees)
        {
            scope.Emit(new NotificationRequested($"{scope.State.InstanceId}/{key}/{recipient}", recipient, DeadlineTemplates.Extended, new JsonObject
            {
                ["kind"] = "extension",
                ["instance"] = scope.State.InstanceId.ToString(),
                ["activity"] = bookmark.ActivityId,
                ["bookmark"] = bookmark.Id,
                ["dueAt"] = deadline,
                ["reason"] = extend.Reason,
            }));
        }

        return null;
    }

    private static string WithGeneration(string suffix, int generation) =>
        generation <= 1 ? suffix : $"{suffix}~{generation.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The people who can complete a task with this assignment, as the directory stands now.</summary>
    public static IReadOnlyList<string> PeopleOf(Assignment assignment, IParticipantDirectory directory) => assignment.Kind switch
    {
        AssignmentKind.Role => [.. directory.InRole(assignment.Value).Select(p => p.Id)],
        AssignmentKind.Unit => [.. directory.LiaisonsOf(assignment.Value).Select(p => p.Id)],
        _ => [assignment.Value],
    };

    private static void Notify(ExecutionScope scope, Bookmark bookmark, string timerId, IReadOnlyList<string> recipients, string template, string? title)
    {
        foreach (var recipient in recipients)
        {
            scope.Emit(new NotificationRequested($"{scope.State.InstanceId}/{timerId}/{recipient}", recipient, template, new JsonObject
            {
                ["instance"] = scope.State.InstanceId.ToString(),
                ["activity"] = bookmark.ActivityId,
                ["bookmark"] = bookmark.Id,
                ["dueAt"] = bookmark.DueAt,
                ["title"] = title,
            }));
        }
    }

    private static int? Index(string step, string prefix) =>
        step.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(step.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    private static JsonArray Array(IEnumerable<string> ids) => [.. ids.Select(id => JsonValue.Create(id))];
}
