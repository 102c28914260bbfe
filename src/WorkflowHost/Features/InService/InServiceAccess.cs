using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.InService;

/// <summary>
/// Who does what with in-service members' service, always inside the caller's own community (tenancy: every query is
/// filtered by <see cref="Caller.CommunityId"/>, so another community's post or claim is simply not found: 404).
/// </summary>
public static class InServiceAccess
{
    /// <summary>The committee's office (and the secretary) publish posts, confirm claims and keep the roster.</summary>
    public static bool IsOffice(Caller caller) => caller.Has(RoleNames.Office) || caller.Has(RoleNames.Secretary);

    /// <summary>An in-service party member claims posts and wishes and reads their own record.</summary>
    public static bool IsMember(Caller caller) => caller.Has(RoleNames.InServiceMember);

    /// <summary>A unit's liaison reads their own unit's members; the office reads any unit of the community.</summary>
    public static bool MayReadUnit(Caller caller, string unitId) => IsOffice(caller) || caller.LiaisonOfUnit == unitId;
}
