using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>Waits for a span of time (working days follow the calendar), then continues with <c>done</c>.</summary>
public sealed record TimerActivity : ActivityDefinition, IBlockingActivity
{
    public const string TypeName = "timer";

    [JsonIgnore]
    public override string Type => TypeName;

    public required DurationSpec Duration { get; init; }

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope)
    {
        var bookmark = scope.CreateBookmark(BookmarkKind.Timer);
        bookmark.DueAt = Duration.AddTo(scope.Now, scope.Context.Calendar);
        scope.ScheduleTimer(bookmark, "elapsed", TimerPurpose.Wait, bookmark.DueAt.Value);
        scope.Journal("TimerStarted", new JsonObject { ["bookmark"] = bookmark.Id, ["dueAt"] = bookmark.DueAt });
    }

    void IBlockingActivity.Cancel(ExecutionScope scope, Bookmark bookmark, CloseReason reason)
    {
        // Closing the bookmark cancels its timer; nothing else to undo.
    }

    Refusal? IBlockingActivity.TimerFired(ExecutionScope scope, Bookmark bookmark, string timerId)
    {
        scope.CloseBookmark(bookmark, timerId);
        scope.Journal("TimerElapsed", new JsonObject { ["bookmark"] = bookmark.Id });
        scope.Complete(Outcomes.Done);
        return null;
    }
}
