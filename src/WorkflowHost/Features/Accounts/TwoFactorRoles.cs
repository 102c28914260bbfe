using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// The one list of roles whose people must sign in with a second factor (docs/decisions/0105): they can change the
/// system's settings or the organisation (a community's directory), or read every community of a street or district.
/// </summary>
internal static class TwoFactorRoles
{
    public static readonly IReadOnlySet<string> Required = new HashSet<string>(StringComparer.Ordinal)
    {
        RoleNames.Administrator,
        RoleNames.StreetCommittee,
        RoleNames.CommunityAdministrator,
        RoleNames.DistrictOrganisation,
    };

    public static bool RequiredFor(IEnumerable<string> roles) => roles.Any(Required.Contains);
}
