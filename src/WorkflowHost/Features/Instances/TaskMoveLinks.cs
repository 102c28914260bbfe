using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Instances;

/// <summary>
/// The moves the caller can make on an open task, as links; null where the move is not theirs to make. They mirror the
/// engine's rules (Activities/TaskHolding.cs) so the pages offer only what would be accepted; the engine still decides.
/// </summary>
public sealed record TaskMoveLinks(string? Claim, string? Release, string? Transfer, string? Delegate, string? Return)
{
    internal static TaskMoveLinks? For(Caller caller, ActivityDefinition? activity, WorkItem item, bool offeredToMe, bool opinionTask, string stepPath)
    {
        var rules = activity switch
        {
            HumanTaskActivity human => human.Moves ?? TaskMoveRules.Default,
            TaskPerItemActivity perItem => perItem.Moves ?? TaskMoveRules.Default,
            _ => null,
        };

        // An opinion task (加签) is answered by the person asked and moves to nobody (WorkflowRunner refuses every move).
        if (rules is null || opinionTask)
        {
            return null;
        }

        var me = caller.PersonId;
        var offeredToMany = item.AssigneeKind is AssigneeKind.Role or AssigneeKind.Unit;
        var inHand = item.HolderId ?? (item.AssigneeKind == AssigneeKind.Person ? item.AssigneeValue : null);
        var holding = inHand == me && item.DelegateId is null;
        var links = new TaskMoveLinks(
            Claim: rules.Claim && offeredToMany && offeredToMe && item.HolderId is null ? $"{stepPath}/claim" : null,
            Release: offeredToMany && item.HolderId == me && item.DelegateId is null ? $"{stepPath}/release" : null,
            Transfer: rules.Transfer && offeredToMany && holding ? $"{stepPath}/transfer" : null,
            Delegate: rules.Delegate && holding ? $"{stepPath}/delegate" : null,
            Return: item.DelegateId == me ? $"{stepPath}/return" : null);
        return links == Empty ? null : links;
    }

    private static readonly TaskMoveLinks Empty = new(null, null, null, null, null);
}
