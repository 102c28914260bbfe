using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Instances;

/// <summary>
/// What a task step can be completed with, and who may move its deadline, for every kind of task the engine opens: a
/// human task's own outcomes; an item task's (督办 report, pledge delivered) or its supervision task's early close; a
/// collection window's close. Without this a follow-up or a sign-up window offered no outcome to choose in a page.
/// </summary>
internal static class StepOutcomes
{
    public static readonly LocalizedText CloseEarlyLabel = LocalizedText.Of("提前关闭其余事项", "Close the remaining items early");

    public static readonly LocalizedText CloseWindowLabel = LocalizedText.Of("截止报名、认领", "Close the sign-up window");

    public static IReadOnlyList<OutcomeView> Of(ActivityDefinition? activity, InstanceState state, string bookmarkId) => activity switch
    {
        HumanTaskActivity when state.FindBookmark(bookmarkId)?.Task?.SignerFor is not null => [new OutcomeView("opinion", OpinionLabel)],
        HumanTaskActivity human => [.. human.Outcomes.Select(o => new OutcomeView(o.Name, o.Label))],
        TaskPerItemActivity perItem when IsSupervision(state, perItem, bookmarkId) => [new OutcomeView(TaskPerItemActivity.CloseOutcome, CloseEarlyLabel)],
        TaskPerItemActivity perItem => [.. perItem.Outcomes.Select(o => new OutcomeView(o.Name, o.Label))],
        CollectActivity => [new OutcomeView(CollectActivity.CloseOutcome, CloseWindowLabel)],
        _ => [],
    };

    /// <summary>The one outcome of an opinion task (加签): the opinion itself is the comment.</summary>
    private static readonly LocalizedText OpinionLabel = LocalizedText.Of("提出意见", "Give the opinion");

    /// <summary>The task that closes the rest of a per-item activity early, rather than one item's task.</summary>
    public static bool IsSupervision(InstanceState state, TaskPerItemActivity activity, string bookmarkId) =>
        state.Variables[activity.Id]?["supervision"]?.GetValue<string>() == bookmarkId;

    /// <summary>
    /// Whether the caller may extend this open step's deadline, as the engine will decide it: the secretary on tasks and
    /// ballots; on an item task whom the definition's <c>extendableBy</c> names (the secretary when it names nobody).
    /// </summary>
    public static bool MayExtend(Caller caller, WorkflowInstance row, ActivityDefinition? activity, WorkItem item, bool secretary)
    {
        if (activity is not TaskPerItemActivity perItem)
        {
            return secretary;
        }

        if (item.DueAt is null || caller.CommunityId != row.CommunityId)
        {
            return false;
        }

        var who = perItem.DeadlineExtendedBy;
        return (who.Role is { } role && caller.Has(role))
            || (who.Unit is { } unit && caller.LiaisonOfUnit == (unit == ParticipantSelector.SubmittingUnit ? row.UnitId : unit))
            || (who.Member is { } member && member == caller.PersonId)
            || (who.Initiator && row.InitiatorId == caller.PersonId);
    }
}
