using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>The check every task activity makes before completing a task: the actor is an assignee, and the outcome is one the task offers.</summary>
internal static class TaskCompletion
{
    /// <param name="notAssignee">The refusal's message when the actor is not an assignee; absent: "is not an assignee of task".</param>
    public static Refusal? Check(ExecutionScope scope, Bookmark bookmark, CompleteTask stimulus, string? notAssignee = null)
    {
        var task = bookmark.Task!;
        if (!task.Assignee.Allows(scope.Context.Directory.Find(stimulus.ActorId)))
        {
            return new Refusal(RefusalCode.NotAllowed, notAssignee ?? $"'{stimulus.ActorId}' is not an assignee of task '{bookmark.Id}'.");
        }

        if (TaskHolding.CheckCompletion(bookmark, stimulus.ActorId) is { } notInHand)
        {
            return notInHand;
        }

        if (!task.Outcomes.Contains(stimulus.Outcome))
        {
            return new Refusal(RefusalCode.UnknownOption,
                $"Task '{bookmark.Id}' has no outcome '{stimulus.Outcome}'; expected one of: {string.Join(", ", task.Outcomes)}.");
        }

        return null;
    }
}
