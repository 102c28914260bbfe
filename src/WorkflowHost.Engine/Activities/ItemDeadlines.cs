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
/// committee two working days later. An empty list means none. (Item tasks have no deadline extension.)
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
        scope.ScheduleTimer(bookmark, DueSuffix, TimerPurpose.Deadline, due);
        for (var i = 0; i < reminders.Count; i++)
        {
            var at = reminders[i].Before.SubtractFrom(due, scope.Context.Calendar);
            if (at > scope.Now && at < due)
            {
                scope.ScheduleTimer(bookmark, RemindPrefix + i.ToString(CultureInfo.InvariantCulture), TimerPurpose.Reminder, at);
            }
        }

        for (var i = 0; i < escalations.Count; i++)
        {
            var at = escalations[i].After is { } after ? after.AddTo(due, scope.Context.Calendar) : due;
            scope.ScheduleTimer(bookmark, EscalatePrefix + i.ToString(CultureInfo.InvariantCulture), TimerPurpose.Escalation, at > scope.Now ? at : scope.Now);
        }
    }

    /// <summary>Sends the reminder or escalation a timer stands for; false when the timer is the due time itself.</summary>
    public static bool TryFire(
        ExecutionScope scope, Bookmark bookmark, string timerId, IReadOnlyList<ReminderStep> reminders, IReadOnlyList<EscalationStep> escalations,
        IReadOnlyList<string> assignees, string? title)
    {
        var step = timerId[(timerId.LastIndexOf(':') + 1)..];
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
