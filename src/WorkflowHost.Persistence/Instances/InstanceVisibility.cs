using System.Linq.Expressions;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Queries;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// What decides which instances a person may see, as the request knows them: their community, whether they see all of
/// it (secretary, office, administrator), the communities they oversee (a street committee contact), the unit they are
/// the liaison of, their roles, and the collection windows (<c>definition/activity</c>) they may contribute to.
/// </summary>
public sealed record Viewer(
    string PersonId,
    string CommunityId,
    bool SeesWholeCommunity,
    string[] OverseenCommunities,
    string? LiaisonOfUnit,
    string[] Roles,
    string[] ContributesTo);

/// <summary>
/// Who may see which instance, written once as an expression over its inputs, so that the same rule serves the reads
/// built per request (<see cref="VisibleTo"/>) and the step's compiled read (<see cref="StepReads"/>), where a query built
/// per request would cost its expression tree, EF Core's parameter extraction and, for the lists, its SQL on every vote
/// (issue 18). An instance you may not see does not exist for you (404).
/// </summary>
public static class InstanceVisibility
{
    public static IQueryable<WorkflowInstance> VisibleTo(this IQueryable<WorkflowInstance> instances, WorkflowDbContext db, Viewer viewer)
    {
        var me = viewer.PersonId;
        var community = viewer.CommunityId;
        var whole = viewer.SeesWholeCommunity;
        var overseen = viewer.OverseenCommunities;
        var oversees = overseen.Length > 0;
        var unit = viewer.LiaisonOfUnit;
        var roles = viewer.Roles;
        var collections = viewer.ContributesTo;
        var contributes = collections.Length > 0;
        return instances.Where(Expand<Func<WorkflowInstance, bool>>(
            i => Holds(i, db, me, community, whole, oversees, overseen, unit, roles, contributes, collections)));
    }

    /// <summary>
    /// The one instance with this id, if the viewer may see it: the rule in the form that names the id (<see cref="OneRule"/>),
    /// for reads of a single instance, where the list's form can cost a read of all the person's ballots.
    /// </summary>
    public static IQueryable<WorkflowInstance> OneVisibleTo(this IQueryable<WorkflowInstance> instances, Guid id, WorkflowDbContext db, Viewer viewer)
    {
        var me = viewer.PersonId;
        var community = viewer.CommunityId;
        var whole = viewer.SeesWholeCommunity;
        var overseen = viewer.OverseenCommunities;
        var oversees = overseen.Length > 0;
        var unit = viewer.LiaisonOfUnit;
        var roles = viewer.Roles;
        var collections = viewer.ContributesTo;
        var contributes = collections.Length > 0;
        return instances.Where(Expand<Func<WorkflowInstance, bool>>(
            i => i.Id == id && HoldsFor(i, id, db, me, community, whole, oversees, overseen, unit, roles, contributes, collections)));
    }

    /// <summary>
    /// Stands for <see cref="Rule"/> inside a query written in C#; <see cref="Expand{T}"/> puts the rule in its place before
    /// EF Core sees the query, so this is never called.
    /// </summary>
    internal static bool Holds(
        WorkflowInstance i, WorkflowDbContext db, string me, string community, bool whole, bool oversees, string[] overseen,
        string? unit, string[] roles, bool contributes, string[] collections) =>
        throw new InvalidOperationException("InstanceVisibility.Holds only marks the rule's place in a query; expand the query first.");

    // `AssigneeValue ?? ""`: a nullable column in a list's Contains makes EF Core look for nulls in the list on every
    // execution and build the SQL again; a role task always names its role, so the coalesce changes no answer (issue 18).
    private static readonly Expression<Func<WorkflowInstance, WorkflowDbContext, string, string, bool, bool, string[], string?, string[], bool, string[], bool>> Rule =
        (i, db, me, community, whole, oversees, overseen, unit, roles, contributes, collections) =>
            (whole && i.CommunityId == community)
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
                    || (w.AssigneeKind == AssigneeKind.Role && roles.Contains(w.AssigneeValue ?? ""))
                    || (unit != null && w.AssigneeKind == AssigneeKind.Unit && w.AssigneeValue == unit)));

    /// <summary>
    /// Stands for the rule in a read of one instance whose id the query already filters on (<paramref name="id"/>); see
    /// <see cref="OneRule"/>. Never called: <see cref="Expand{T}"/> replaces it.
    /// </summary>
    internal static bool HoldsFor(
        WorkflowInstance i, Guid id, WorkflowDbContext db, string me, string community, bool whole, bool oversees, string[] overseen,
        string? unit, string[] roles, bool contributes, string[] collections) =>
        throw new InvalidOperationException("InstanceVisibility.HoldsFor only marks the rule's place in a query; expand the query first.");

    /// <summary>
    /// The same rule for a query that reads one instance by its id: each "is there a voter / reader / task of this instance"
    /// names the id the query was given instead of the row's column. Correlated, PostgreSQL may plan such a test under the
    /// rule's OR as a hashed SubPlan that reads every ballot, case or task row of the person to answer for one instance,
    /// and a prepared statement keeps that plan for the connection's life (docs/benchmarks.md 22b: 401 buffers a vote for
    /// a voter on 2,000 ballots); naming the id, each test is evaluated at most once, by the row's own key, whatever the
    /// statistics say. The answer is the same: the query also requires the row's id to be that id.
    /// </summary>
    private static readonly Expression<Func<WorkflowInstance, Guid, WorkflowDbContext, string, string, bool, bool, string[], string?, string[], bool, string[], bool>> OneRule =
        NamingTheId(Rule);

    /// <summary>The query with every <see cref="Holds"/> and <see cref="HoldsFor"/> replaced by the rule over that call's arguments.</summary>
    internal static Expression<T> Expand<T>(Expression<T> query) => Spliced.Into(Spliced.Into(query, Holds, Rule), HoldsFor, OneRule);

    private static Expression<Func<WorkflowInstance, Guid, WorkflowDbContext, string, string, bool, bool, string[], string?, string[], bool, string[], bool>> NamingTheId(
        Expression<Func<WorkflowInstance, WorkflowDbContext, string, string, bool, bool, string[], string?, string[], bool, string[], bool>> rule)
    {
        var instance = rule.Parameters[0];
        var id = Expression.Parameter(typeof(Guid), "id");
        var body = new InstanceIdNamed(instance, id).Visit(rule.Body);
        return Expression.Lambda<Func<WorkflowInstance, Guid, WorkflowDbContext, string, string, bool, bool, string[], string?, string[], bool, string[], bool>>(
            body, [instance, id, .. rule.Parameters.Skip(1)]);
    }

    /// <summary>Replaces the instance's <c>Id</c> with the given id wherever the rule reads it.</summary>
    private sealed class InstanceIdNamed(ParameterExpression instance, ParameterExpression id) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression == instance && node.Member.Name == nameof(WorkflowInstance.Id) ? id : base.VisitMember(node);
    }
}
