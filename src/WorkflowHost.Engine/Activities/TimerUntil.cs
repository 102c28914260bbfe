using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>When a timer ends: after its duration, or once the date at its <c>until</c> path has passed.</summary>
internal static class TimerUntil
{
    /// <summary>The due time, or null when the timer has nothing to wait for and has already continued.</summary>
    public static DateTimeOffset? DueAt(ExecutionScope scope, TimerActivity timer)
    {
        if (timer.Until is null)
        {
            return timer.Duration!.AddTo(scope.Now, scope.Context.Calendar);
        }

        var node = DataPath.Resolve(scope.DataView(), timer.Until);
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String
            || !DateOnly.TryParseExact(value.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            scope.Journal("TimerSkipped", new JsonObject { ["activity"] = timer.Id, ["reason"] = $"no date at {timer.Until}" });
            scope.Complete(Definitions.Outcomes.Done);
            return null;
        }

        var dueAt = scope.Context.Calendar.After(date);
        if (dueAt <= scope.Now)
        {
            scope.Journal("TimerSkipped", new JsonObject { ["activity"] = timer.Id, ["reason"] = $"{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} has already passed" });
            scope.Complete(Definitions.Outcomes.Done);
            return null;
        }

        return dueAt;
    }
}
