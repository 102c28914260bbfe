using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using WorkflowHost.Api;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// Hooks <see cref="AccountSessions.CheckAsync"/> into both ways of signing in, on every request: the cookie's
/// <c>OnValidatePrincipal</c> (a refused cookie is deleted; pages redirect to the sign-in, the API answers 401) and the
/// bearer handler's <c>OnMessageReceived</c>, which reads the token itself so that it can refuse it (401).
/// </summary>
internal static class SessionValidation
{
    private static readonly object BearerMark = new();

    /// <summary>True when this request was authenticated by the bearer scheme (and so is not exposed to CSRF).</summary>
    public static bool IsBearer(HttpContext context) => context.Items.ContainsKey(BearerMark) && context.User.Identity?.IsAuthenticated == true;

    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<AccountSessions>();
        if (context.Principal is null || !await CheckAndRememberAsync(sessions, context.HttpContext, context.Principal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    /// <summary>
    /// True for an active session; the person's entry read with it is kept for the request's caller. An endpoint marked
    /// <see cref="ReusesSessionCheck"/> may take this host's last full check of the session instead of reading it again:
    /// the request is then marked (<see cref="SessionReuse"/>) and its step verifies the check's epoch (decision 173).
    /// </summary>
    internal static async Task<bool> CheckAndRememberAsync(AccountSessions sessions, HttpContext http, ClaimsPrincipal principal, bool mayReuse = true)
    {
        if (mayReuse && http.GetEndpoint()?.Metadata.GetMetadata<ReusesSessionCheck>() is not null && sessions.Reuse(principal) is { } reused)
        {
            RememberPerson(http, principal, reused.Person);
            SessionReuse.Mark(http, reused.Epoch);
            return true;
        }

        var (state, person) = await sessions.CheckAsync(principal, http.RequestAborted);
        if (state != SessionState.Active)
        {
            return false;
        }

        RememberPerson(http, principal, person);
        return true;
    }

    private static void RememberPerson(HttpContext http, ClaimsPrincipal principal, CallerEntry? person)
    {
        if (principal.FindFirstValue(Caller.PersonClaim) is { } personId)
        {
            CallerResolver.RememberEntry(http, personId, person);
        }
    }

    public static async Task ValidateBearerAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return; // no token: the handler answers "no result"
        }

        var cache = context.HttpContext.RequestServices.GetRequiredService<BearerTicketCache>();
        var ticket = cache.Unprotect(context.Options.BearerTokenProtector, header.AsSpan("Bearer ".Length));
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (ticket?.Properties.ExpiresUtc is not { } expires || now >= expires)
        {
            return; // forged or expired: the handler refuses it the same way it always has
        }

        var sessions = context.HttpContext.RequestServices.GetRequiredService<AccountSessions>();
        if (!await CheckAndRememberAsync(sessions, context.HttpContext, ticket.Principal))
        {
            context.Fail("The session of this token has ended.");
            return;
        }

        context.Principal = ticket.Principal;
        context.Properties = ticket.Properties;
        context.HttpContext.Items[BearerMark] = true;
        context.Success();
    }
}
