using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// The secretary's deadline extension, kept minimal: it moves the due time of an open task or ballot (and the ballot's
/// closing time), replaces the pending deadline timer with one at the new time, and journals who, from, to and why.
/// A deadline only ever moves later; time never consents, so a later deadline never decides anything by itself.
/// </summary>
internal static class Deadlines
{
    public const string SecretaryRole = "secretary";

    public static Refusal? Extend(ExecutionScope scope, ExtendDeadline extend)
    {
        if (scope.Context.Directory.Find(extend.ActorId)?.HasRole(SecretaryRole) != true)
        {
            return new Refusal(RefusalCode.NotAllowed, "Only the secretary can extend a deadline.");
        }

        var bookmark = scope.State.FindBookmark(extend.BookmarkId);
        if (bookmark is null)
        {
            return scope.State.ClosedBookmarks.Contains(extend.BookmarkId)
                ? new Refusal(RefusalCode.Closed, $"'{extend.BookmarkId}' is closed.")
                : new Refusal(RefusalCode.NotFound, $"There is no '{extend.BookmarkId}' in this instance.");
        }

        if (bookmark.Kind == BookmarkKind.Timer)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{extend.BookmarkId}' is a timer; only tasks and ballots have deadlines to extend.");
        }

        if ((extend.NewDueAt is null) == (extend.ExtendByWorkingDays is null))
        {
            return Invalid("dueAt", "Give either a new deadline or a number of working days, not both.");
        }

        var now = scope.Now;
        var previous = bookmark.DueAt;
        DateTimeOffset newDue;
        if (extend.ExtendByWorkingDays is { } days)
        {
            if (days is < 1 or > 250)
            {
                return Invalid("extendByWorkingDays", "Extend by 1 to 250 working days.");
            }

            var from = previous is { } due && due > now ? due : now;
            newDue = scope.Context.Calendar.AddWorkingDays(from, days);
        }
        else
        {
            newDue = extend.NewDueAt!.Value.ToUniversalTime();
        }

        if (newDue <= now)
        {
            return Invalid("dueAt", "The new deadline must be in the future.");
        }

        if (previous is { } old && newDue <= old)
        {
            return Invalid("dueAt", $"The new deadline must be later than the current one ({old:O}).");
        }

        foreach (var timerId in bookmark.TimerIds.Where(IsDeadlineTimer).ToList())
        {
            bookmark.TimerIds.Remove(timerId);
            scope.Emit(new TimerCancelled(timerId));
        }

        bookmark.DueAt = newDue;
        if (bookmark.Ballot is { } ballot)
        {
            ballot.ClosesAt = newDue;
        }

        scope.ScheduleTimer(bookmark, $"deadline-{scope.State.NextSequence++}", TimerPurpose.Deadline, newDue);
        scope.Emit(new DeadlineMoved(bookmark.Id, newDue));
        scope.Journal("DeadlineExtended", new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["by"] = extend.ActorId,
            ["from"] = previous,
            ["to"] = newDue,
            ["reason"] = extend.Reason,
        });
        return null;

        static Refusal Invalid(string field, string message) =>
            new(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { [field] = [message] });
    }

    /// <summary>Deadline timers are named <c>{bookmark}:due</c> (tasks), <c>{bookmark}:deadline</c> (ballots) or <c>{bookmark}:deadline-N</c> (moved).</summary>
    private static bool IsDeadlineTimer(string timerId)
    {
        var suffix = timerId[(timerId.LastIndexOf(':') + 1)..];
        return suffix == "due" || suffix.StartsWith("deadline", StringComparison.Ordinal);
    }
}
