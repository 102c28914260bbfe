using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Api;

/// <summary>
/// Who may see which instance, as one query predicate: every read (one instance, lists, inbox links, timeline) and every
/// write goes through it, so "not visible" is decided in one place and answered the same way everywhere (404: an
/// instance you may not see does not exist for you). The rule itself is <see cref="InstanceVisibility"/>, shared with
/// the step's compiled read. Acting on a step is then for the engine to allow or refuse.
/// </summary>
public static class Access
{
    public static IQueryable<WorkflowInstance> VisibleTo(this IQueryable<WorkflowInstance> instances, WorkflowDbContext db, Caller caller) =>
        InstanceVisibility.VisibleTo(instances, db, caller.AsViewer());

    /// <summary>The instance with this id if the caller may see it; for reads of one instance (<see cref="InstanceVisibility.OneVisibleTo"/>).</summary>
    public static IQueryable<WorkflowInstance> OneVisibleTo(this IQueryable<WorkflowInstance> instances, Guid id, WorkflowDbContext db, Caller caller) =>
        InstanceVisibility.OneVisibleTo(instances, id, db, caller.AsViewer());

    /// <summary>Comments come from the people taking part; an administrator keeps the system running but takes no part.</summary>
    public static bool MayComment(Caller caller) => !(caller.Roles.Count == 1 && caller.Has(RoleNames.Administrator));
}
