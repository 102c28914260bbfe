using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Api;

/// <summary>
/// Who may see which instance, as one query predicate: every read (one instance, lists, inbox links, timeline) and every
/// write goes through it, so "not visible" is decided in one place and answered the same way everywhere (404: an
/// instance you may not see does not exist for you). Acting on a step is then for the engine to allow or refuse.
/// </summary>
public static class Access
{
    public static IQueryable<WorkflowInstance> VisibleTo(this IQueryable<WorkflowInstance> instances, WorkflowDbContext db, Caller caller)
    {
        var me = caller.PersonId;
        var community = caller.CommunityId;
        var wholeCommunity = caller.SeesWholeCommunity;
        var overseen = caller.OverseenCommunities.ToList();
        var oversees = overseen.Count > 0;
        var unit = caller.LiaisonOfUnit;
        var roles = caller.Roles.ToList();
        var collections = caller.ContributesTo.ToList();
        var contributes = collections.Count > 0;
        return instances.Where(i =>
            (wholeCommunity && i.CommunityId == community)
            || (oversees && overseen.Contains(i.CommunityId))
            || (unit != null && i.CommunityId == community && i.UnitId == unit)
            || i.InitiatorId == me
            || db.BallotVoters.Any(v => v.InstanceId == i.Id && v.PersonId == me)
            || db.CaseReaders.Any(r => r.InstanceId == i.Id && r.PersonId == me)
            || (contributes && i.CommunityId == community && db.WorkItems.Any(w => w.InstanceId == i.Id && w.Status == WorkItemStatus.Open && w.Kind == WorkItemKind.Task
                && collections.Contains(i.DefinitionId + "/" + w.ActivityId)))
            || db.WorkItems.Any(w => w.InstanceId == i.Id && w.Kind == WorkItemKind.Task && w.CommunityId == community
                && ((w.AssigneeKind == AssigneeKind.Person && w.AssigneeValue == me)
                    || w.HolderId == me || w.DelegateId == me
                    || (w.AssigneeKind == AssigneeKind.Role && roles.Contains(w.AssigneeValue!))
                    || (unit != null && w.AssigneeKind == AssigneeKind.Unit && w.AssigneeValue == unit))));
    }

    /// <summary>Comments come from the people taking part; an administrator keeps the system running but takes no part.</summary>
    public static bool MayComment(Caller caller) => !(caller.Roles.Count == 1 && caller.Has(RoleNames.Administrator));
}
