using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// Waits for a span of time (working days follow the calendar), or until a date taken from the instance data has passed
/// (<see cref="Until"/>: when that day begins; <see cref="After"/>: once it has passed, e.g. "after the activity date"), then continues with <c>done</c>.
/// </summary>
public sealed record TimerActivity : ActivityDefinition, IBlockingActivity
{
    public const string TypeName = "timer";

    public DurationSpec? Duration { get; init; }

    /// <summary>A path to a date (<c>activities.review.data.revoteOn</c>): the timer ends when that day begins (local midnight). See TimerUntil.cs.</summary>
    public string? Until { get; init; }

    /// <summary>A path to a date (<c>input.date</c>): the timer ends once that day has passed (the local midnight after it).</summary>
    public string? After { get; init; }

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope)
    {
        if (TimerUntil.DueAt(scope, this) is not { } dueAt)
        {
            return;
        }

        var bookmark = scope.CreateBookmark(BookmarkKind.Timer);
        bookmark.DueAt = dueAt;
        scope.ScheduleTimer(bookmark, "elapsed", TimerPurpose.Wait, bookmark.DueAt.Value);
        scope.Journal(JournalEventTypes.TimerStarted, new JsonObject { ["bookmark"] = bookmark.Id, ["dueAt"] = bookmark.DueAt });
    }

    void IBlockingActivity.Cancel(ExecutionScope scope, Bookmark bookmark, CloseReason reason)
    {
        // Closing the bookmark cancels its timer; nothing else to undo.
    }

    Refusal? IBlockingActivity.TimerFired(ExecutionScope scope, Bookmark bookmark, string timerId)
    {
        scope.CloseBookmark(bookmark, timerId);
        scope.Journal(JournalEventTypes.TimerElapsed, new JsonObject { ["bookmark"] = bookmark.Id });
        scope.Complete(Outcomes.Done);
        return null;
    }
}
