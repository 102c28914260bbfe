using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// 催办 on an open task or ballot. The working day an urge counts for is today in the calendar's time zone, or the next
/// working day when today is not one (an urge on a Sunday is Monday's), so a step is urged at most once per working day.
/// The days urged are kept in the step's variables (<c>activities.{id}.urged.{bookmark}</c>) and shown with the step.
/// </summary>
internal static class Urging
{
    public static Refusal? Urge(ExecutionScope scope, Bookmark bookmark, IUrgeable step, UrgeStep urge)
    {
        var actor = scope.Context.Directory.Find(urge.ActorId);
        if (actor is null || !UrgeStep.UrgedBy.Any(actor.HasRole))
        {
            return new Refusal(RefusalCode.NotAllowed, "Only the secretary or the office can urge a step.");
        }

        var day = WorkingDayOf(scope.Now, scope.Context.Calendar).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var record = scope.VariablesOf(bookmark.ActivityId);
        if (record["urged"] is not JsonObject urged)
        {
            urged = [];
            record["urged"] = urged;
        }

        if (urged[bookmark.Id] is not JsonArray days)
        {
            days = [];
            urged[bookmark.Id] = days;
        }

        if (days.Any(d => d?.GetValue<string>() == day))
        {
            return new Refusal(RefusalCode.AlreadyUrged, $"'{bookmark.Id}' was already urged on working day {day}.");
        }

        var notActed = step.NotActed(scope, bookmark);
        if (notActed.Count == 0)
        {
            return new Refusal(RefusalCode.NotAllowed, $"Everyone on '{bookmark.Id}' has acted; there is nobody to urge.");
        }

        days.Add(day);
        Deadlines.Urge(scope, bookmark, day, notActed);
        scope.Journal(JournalEventTypes.StepUrged, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["by"] = actor.Id, ["workingDay"] = day, ["notActed"] = notActed.Count,
        });
        return null;
    }

    public static DateOnly WorkingDayOf(DateTimeOffset now, IWorkingCalendar calendar)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, calendar.TimeZone).DateTime);
        for (var i = 0; i < 366 && !calendar.IsWorkingDay(day); i++)
        {
            day = day.AddDays(1);
        }

        return day;
    }
}
