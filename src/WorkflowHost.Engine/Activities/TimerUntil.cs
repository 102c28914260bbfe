using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>When a timer ends: after its duration, when the day at its <c>until</c> path begins, or once the day at its <c>after</c> path has passed.</summary>
internal static class TimerUntil
{
    /// <summary>The due time, or null when the timer has nothing to wait for and has already continued.</summary>
    public static DateTimeOffset? DueAt(ExecutionScope scope, TimerActivity timer)
    {
        var path = timer.Until ?? timer.After;
        if (path is null)
        {
            return timer.Duration!.AddTo(scope.Now, scope.Context.Calendar);
        }

        var node = DataPath.Resolve(scope.DataView(), path);
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String
            || !DateOnly.TryParseExact(value.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            scope.Journal(JournalEventTypes.TimerSkipped, new JsonObject { ["activity"] = timer.Id, ["reason"] = $"no date at {path}" });
            scope.Complete(Definitions.Outcomes.Done);
            return null;
        }

        var dueAt = timer.After is not null ? scope.Context.Calendar.After(date) : scope.Context.Calendar.At(date, TimeOnly.MinValue);
        if (dueAt <= scope.Now)
        {
            scope.Journal(JournalEventTypes.TimerSkipped, new JsonObject { ["activity"] = timer.Id, ["reason"] = $"{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is already here" });
            scope.Complete(Definitions.Outcomes.Done);
            return null;
        }

        return dueAt;
    }
}
