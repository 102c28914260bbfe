using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>The secretary closes an overdue ballot (DOMAIN: "only a person, the secretary, with a reason, closes an overdue ballot").</summary>
public sealed partial record BallotActivity : IUrgeable
{
    internal Refusal? CloseOverdue(ExecutionScope scope, Bookmark bookmark, CloseOverdueBallot close)
    {
        if (scope.Context.Directory.Find(close.ActorId)?.HasRole(RoleNames.Secretary) != true)
        {
            return new Refusal(RefusalCode.NotAllowed, "Only the secretary can close an overdue ballot.");
        }

        var reason = close.Reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > CloseOverdueBallot.MaxReasonLength)
        {
            var message = reason.Length == 0 ? "A reason is required to close a ballot." : $"The reason must be at most {CloseOverdueBallot.MaxReasonLength} characters.";
            return new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { ["reason"] = [message] });
        }

        // Only a ballot with a voting deadline that has passed: before it, members still have the time they were given.
        if (Due is null || bookmark.DueAt is not { } dueAt || dueAt > scope.Now)
        {
            return new Refusal(RefusalCode.NotOverdue, $"Ballot '{bookmark.Id}' is not overdue; it can be closed only after its deadline.");
        }

        scope.Journal(JournalEventTypes.BallotClosedBySecretary, new JsonObject { ["bookmark"] = bookmark.Id, ["by"] = close.ActorId, ["reason"] = reason });
        TryClose(scope, bookmark, deadlineReached: true, firedTimerId: null, closedBy: close.ActorId);
        return null;
    }

    IReadOnlyList<string> IUrgeable.NotActed(ExecutionScope scope, Bookmark bookmark) => NotVoted(bookmark.Ballot!);
}
