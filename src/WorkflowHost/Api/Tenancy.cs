using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Api;

/// <summary>What a caller may do with one community's directory.</summary>
public enum CommunityAccess
{
    /// <summary>Not theirs: answered 404, as if the community did not exist.</summary>
    None,

    /// <summary>May read it (the committee's office side, the street committee across its street): writes answer 403.</summary>
    Read,

    /// <summary>May change it: a community administrator (or the older <c>administrator</c> role) of that community.</summary>
    Administer,
}

/// <summary>
/// Tenancy in one place (docs/decisions/0108): which communities' directories a caller reads and administers. Every
/// directory endpoint and page asks here first and nowhere else; records are then looked up only inside that community,
/// so another community's unit or person id is a 404 as well.
/// </summary>
public static class Tenancy
{
    public static CommunityAccess AccessTo(this Caller caller, string communityId)
    {
        var own = string.Equals(caller.CommunityId, communityId, StringComparison.Ordinal);
        if (own && (caller.Has(RoleNames.CommunityAdministrator) || caller.Has(RoleNames.Administrator)))
        {
            return CommunityAccess.Administer;
        }

        if (own && (caller.Has(RoleNames.Secretary) || caller.Has(RoleNames.Office)))
        {
            return CommunityAccess.Read;
        }

        return caller.OverseenCommunities.Contains(communityId, StringComparer.Ordinal) ? CommunityAccess.Read : CommunityAccess.None;
    }

    /// <summary>
    /// Whether the caller administers the accounts (invitations, resets, deactivation) of the people of
    /// <paramref name="communityId"/>: exactly those who administer its directory. Another community's person is a 404.
    /// </summary>
    public static bool AdministersAccountsIn(this Caller caller, string communityId) => caller.AccessTo(communityId) == CommunityAccess.Administer;

    /// <summary>The communities whose directory the caller may at least read, their own first.</summary>
    public static IReadOnlyList<string> ReadableCommunities(this Caller caller) =>
        [.. new[] { caller.CommunityId }.Concat(caller.OverseenCommunities).Distinct(StringComparer.Ordinal).Where(c => caller.AccessTo(c) != CommunityAccess.None)];
}
