namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// The role ids of the directory (<c>seeds/community.json</c>), as the engine, the store and the host compare them.
/// Definitions name roles in their own JSON (<c>startableBy</c>, <c>assignee.role</c>); these are the ones code relies on.
/// </summary>
public static class RoleNames
{
    public const string Secretary = "secretary";
    public const string CommitteeMember = "committee-member";
    public const string Office = "office";
    public const string UnitLiaison = "unit-liaison";
    public const string StreetCommittee = "street-committee";
    public const string Administrator = "administrator";
    public const string InServiceMember = "in-service-member";

    /// <summary>Administers one community's directory (units, people, roles, terms) and sees no other community (decision 108).</summary>
    public const string CommunityAdministrator = "community-admin";

    /// <summary>The district organisation department (区委组织部): reads every community of its district, acts on none.</summary>
    public const string DistrictOrganisation = "district-organisation";

    /// <summary>The committee (members, secretary, office) and the street committee above it.</summary>
    public static readonly IReadOnlyList<string> Committee = [CommitteeMember, Secretary, Office, StreetCommittee];
}
