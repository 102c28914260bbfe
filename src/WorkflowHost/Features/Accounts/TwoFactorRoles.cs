using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// The one list of roles whose people must sign in with a second factor (docs/decisions/0105): they can change the
/// system's settings or see every community of a street. Roles that oversee more (a district administrator, a community
/// administrator) belong here as soon as the directory has them.
/// </summary>
internal static class TwoFactorRoles
{
    public static readonly IReadOnlySet<string> Required = new HashSet<string>(StringComparer.Ordinal)
    {
        RoleNames.Administrator,
        RoleNames.StreetCommittee,
    };

    public static bool RequiredFor(IEnumerable<string> roles) => roles.Any(Required.Contains);
}
