using WorkflowHost.Engine.Runtime;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authorization;
using WorkflowHost.Api;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// "Is the caller an administrator?", answered the way every other role question is: from the directory, through the
/// <see cref="CallerResolver"/> (decision 20). Sign-in issues no role claims, so nothing may look for one.
/// </summary>
internal static class Administrators
{
    /// <summary>The authorization policy of administrators' endpoints: 401 without a sign-in, 403 for anyone else.</summary>
    public const string Policy = "administrators";

    public static async Task<bool> IsAdministratorAsync(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
        && await context.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(context) is { } caller
        && caller.Has(RoleNames.Administrator);

    /// <summary>
    /// The policy of the account endpoints: administrators and community administrators (401, 403 for anyone else).
    /// Which person's account they may touch is then Tenancy's answer (<see cref="Tenancy.AdministersAccountsIn"/>).
    /// </summary>
    public const string AccountsPolicy = "account-administrators";

    public static async Task<bool> AdministersAccountsAsync(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
        && await context.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(context) is { } caller
        && caller.AdministersAccountsIn(caller.CommunityId);

    /// <summary>Like <see cref="AccountsRegistration.SignedIn"/>, no scheme named: the user is the default scheme's (decision 177).</summary>
    public static void AddPolicy(AuthorizationBuilder authorization)
    {
        authorization.AddPolicy(Policy, policy => policy
            .RequireAuthenticatedUser()
            .RequireClaim(Caller.PersonClaim)
            .RequireAssertion(async context => context.Resource is HttpContext http && await IsAdministratorAsync(http)));
        authorization.AddPolicy(AccountsPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireClaim(Caller.PersonClaim)
            .RequireAssertion(async context => context.Resource is HttpContext http && await AdministersAccountsAsync(http)));
    }
}

/// <summary>
/// The Hangfire dashboard's filter: administrators only, from the directory. Hangfire answers 401 to an anonymous
/// request and 403 to a signed-in non-administrator; its own default (any request from localhost) is not used.
/// </summary>
internal sealed class DashboardAdministrators : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context) => Administrators.IsAdministratorAsync(context.GetHttpContext());
}
