using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

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
        if (context.Principal is null || await sessions.CheckAsync(context.Principal, context.HttpContext.RequestAborted) != SessionState.Active)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    public static async Task ValidateBearerAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return; // no token: the handler answers "no result"
        }

        var ticket = context.Options.BearerTokenProtector.Unprotect(header["Bearer ".Length..]);
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (ticket?.Properties.ExpiresUtc is not { } expires || now >= expires)
        {
            return; // forged or expired: the handler refuses it the same way it always has
        }

        var sessions = context.HttpContext.RequestServices.GetRequiredService<AccountSessions>();
        if (await sessions.CheckAsync(ticket.Principal, context.HttpContext.RequestAborted) != SessionState.Active)
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
