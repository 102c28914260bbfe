using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>A reminder to everyone who has not acted yet, <see cref="Before"/> the deadline.</summary>
public sealed record ReminderStep
{
    public required DurationSpec Before { get; init; }

    /// <summary>The message key the host renders in the recipient's language.</summary>
    public string Template { get; init; } = DeadlineTemplates.Reminder;
}

/// <summary>
/// An alert to <see cref="Notify"/> when the step is overdue: at the deadline (<c>"at": "deadline"</c>) or
/// <see cref="After"/> it. Sent only while the step is still open and someone has still not acted.
/// </summary>
public sealed record EscalationStep
{
    public const string AtDeadline = "deadline";

    public string? At { get; init; }

    public DurationSpec? After { get; init; }

    public required ParticipantSelector Notify { get; init; }

    public string Template { get; init; } = DeadlineTemplates.Escalation;
}

public static class DeadlineTemplates
{
    public const string Reminder = "reminder";
    public const string Escalation = "escalation";
    public const string Extended = "deadline-extended";
}

/// <summary>
/// Schedules and fires the timers around a step's deadline. Timer ids are <c>{bookmark}:{step}</c>, with <c>~{n}</c>
/// appended from the second deadline on (after an extension), so every reminder of every deadline has its own id and
/// every notification its own unique key: <c>{instance}/{timer}/{recipient}</c>.
/// </summary>
internal static class Deadlines
{
    public static readonly IReadOnlyList<ReminderStep> DefaultReminders = [new() { Before = new DurationSpec { WorkingDays = 1 } }];

    public static readonly IReadOnlyList<EscalationStep> DefaultEscalations =
    [
        new() { At = EscalationStep.AtDeadline, Notify = new ParticipantSelector { Role = RoleNames.Secretary } },
        new() { After = new DurationSpec { WorkingDays = 2 }, Notify = new ParticipantSelector { Role = RoleNames.StreetCommittee } },
    ];

    public const string RemindPrefix = "remind-";
    public const string EscalatePrefix = "escalate-";

    public static IReadOnlyList<ReminderStep> RemindersOf(IHasDeadline step) => step.Remind ?? DefaultReminders;

    public static IReadOnlyList<EscalationStep> EscalationsOf(IHasDeadline step) =>
        step.EscalatesWhenOverdue ? step.Escalate ?? DefaultEscalations : [];

    /// <summary>
    /// Schedules the deadline timer (<paramref name="deadlineSuffix"/>) and every reminder and escalation still ahead.
    /// A reminder whose time has already passed when the step opens (a short deadline) is left out: it would only
    /// repeat the notice of the opening.
    /// </summary>
    public static void Schedule(ExecutionScope scope, Bookmark bookmark, IHasDeadline step, string deadlineSuffix, DateTimeOffset deadline)
    {
        var generation = bookmark.DeadlineGeneration;
        scope.ScheduleTimer(bookmark, WithGeneration(deadlineSuffix, generation), TimerPurpose.Deadline, deadline);

        var reminders = RemindersOf(step);
        for (var i = 0; i < reminders.Count; i++)
        {
            var at = reminders[i].Before.SubtractFrom(deadline, scope.Context.Calendar);
            if (at > scope.Now && at < deadline)
            {
                scope.ScheduleTimer(bookmark, WithGeneration(RemindPrefix + i.ToString(CultureInfo.InvariantCulture), generation), TimerPurpose.Reminder, at);
            }
        }

        var escalations = EscalationsOf(step);
        for (var i = 0; i < escalations.Count; i++)
        {
            var at = EscalationTime(escalations[i], deadline, scope.Context.Calendar);
            scope.ScheduleTimer(bookmark, WithGeneration(EscalatePrefix + i.ToString(CultureInfo.InvariantCulture), generation), TimerPurpose.Escalation, Max(at, scope.Now));
        }
    }

    public static DateTimeOffset EscalationTime(EscalationStep step, DateTimeOffset deadline, IWorkingCalendar calendar) =>
        step.After is { } after ? after.AddTo(deadline, calendar) : deadline;

    /// <summary>The step part of a timer id: <c>remind-0</c> for <c>ballot#3:remind-0~2</c>.</summary>
    public static string StepOf(string timerId)
    {
        var colon = timerId.LastIndexOf(':');
        var step = colon < 0 ? timerId : timerId[(colon + 1)..];
        var tilde = step.IndexOf('~', StringComparison.Ordinal);
        return tilde < 0 ? step : step[..tilde];
    }

    /// <summary>
    /// A reminder or escalation fell due: notify, once per recipient (the key is unique), then forget the timer.
    /// Returns false when the timer is not a reminder or escalation, so the activity handles it as its deadline.
    /// </summary>
    public static bool TryFire(ExecutionScope scope, Bookmark bookmark, IHasDeadline step, string timerId, IReadOnlyList<string> notActed)
    {
        var stepName = StepOf(timerId);
        if (stepName.StartsWith(RemindPrefix, StringComparison.Ordinal)
            && int.TryParse(stepName.AsSpan(RemindPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var r)
            && r < RemindersOf(step).Count)
        {
            bookmark.TimerIds.Remove(timerId);
            Notify(scope, bookmark, timerId, notActed, RemindersOf(step)[r].Template, "reminder", notActed.Count);
            scope.Journal(JournalEventTypes.ReminderSent, new JsonObject
            {
                ["bookmark"] = bookmark.Id, ["timer"] = timerId, ["recipients"] = ToArray(notActed), ["dueAt"] = bookmark.DueAt,
            });
            return true;
        }

        if (stepName.StartsWith(EscalatePrefix, StringComparison.Ordinal)
            && int.TryParse(stepName.AsSpan(EscalatePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var e)
            && e < EscalationsOf(step).Count)
        {
            bookmark.TimerIds.Remove(timerId);
            var escalation = EscalationsOf(step)[e];

            // Everyone acted in the meantime (a task completed closes its bookmark, so this is a ballot whose last voters
            // were recused): nothing is overdue any more.
            var recipients = notActed.Count == 0 ? [] : escalation.Notify.ResolvePeople(scope.State, scope.Context.Directory);
            Notify(scope, bookmark, timerId, recipients, escalation.Template, "escalation", notActed.Count);
            scope.Journal(JournalEventTypes.Escalated, new JsonObject
            {
                ["bookmark"] = bookmark.Id, ["timer"] = timerId, ["recipients"] = ToArray(recipients),
                ["notActed"] = notActed.Count, ["dueAt"] = bookmark.DueAt,
            });
            return true;
        }

        return false;
    }

    /// <summary>
    /// Moves the deadline: every pending timer of the bookmark is cancelled and the whole schedule is laid again from
    /// the new deadline under new ids, so a reminder that was already sent for the old deadline is sent again for the new one.
    /// </summary>
    public static Refusal? Extend(ExecutionScope scope, Bookmark bookmark, IHasDeadline step, string deadlineSuffix, ExtendDeadline extend, IReadOnlyList<string> notActed)
    {
        var actor = scope.Context.Directory.Find(extend.ActorId);
        if (actor?.HasRole(RoleNames.Secretary) != true)
        {
            return new Refusal(RefusalCode.NotAllowed, "Only the secretary can extend a deadline.");
        }

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
        bookmark.DueAt = deadline;
        Schedule(scope, bookmark, step, deadlineSuffix, deadline);
        scope.Emit(new DeadlineMoved(bookmark.Id, deadline));
        scope.Journal(JournalEventTypes.DeadlineExtended, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["by"] = extend.ActorId, ["reason"] = extend.Reason,
            ["from"] = current, ["to"] = deadline,
        });
        var key = $"{bookmark.Id}:extended~{bookmark.DeadlineGeneration.ToString(CultureInfo.InvariantCulture)}";
        Notify(scope, bookmark, key, notActed, DeadlineTemplates.Extended, "extension", notActed.Count, extend.Reason);
        return null;
    }

    /// <summary>催办: a reminder now to <paramref name="notActed"/>, keyed by the working day so it is sent once that day.</summary>
    public static void Urge(ExecutionScope scope, Bookmark bookmark, string workingDay, IReadOnlyList<string> notActed) =>
        Notify(scope, bookmark, $"{bookmark.Id}:urged~{workingDay}", notActed, DeadlineTemplates.Reminder, "urge", notActed.Count);

    private static void Notify(ExecutionScope scope, Bookmark bookmark, string stepKey, IReadOnlyList<string> recipients, string template, string kind, int notActed, string? reason = null)
    {
        foreach (var recipient in recipients)
        {
            var data = StepNoticeData.For(scope, bookmark, kind, reason, notActed);
            scope.Emit(new NotificationRequested($"{scope.State.InstanceId}/{stepKey}/{recipient}", recipient, template, data));
        }
    }

    private static string WithGeneration(string suffix, int generation) =>
        generation <= 1 ? suffix : $"{suffix}~{generation.ToString(CultureInfo.InvariantCulture)}";

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static JsonArray ToArray(IEnumerable<string> ids) => new([.. ids.Select(id => JsonValue.Create(id))]);
}
