using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using WorkflowHost.Api;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// A request authenticated by a reused session check (decision 173): the epoch its step must find unchanged, and the full
/// check it makes when the step found it changed.
/// </summary>
internal static class SessionReuse
{
    private static readonly object Key = new();

    public static void Mark(HttpContext http, long epoch) => http.Items[Key] = epoch;

    /// <summary>The epoch of the reused check this request rests on; null when its session was checked in full.</summary>
    public static long? EpochOf(HttpContext http) => http.Items.TryGetValue(Key, out var epoch) ? (long?)epoch : null;

    /// <summary>
    /// The full check, after a step found the reused check stale (and wrote nothing): true when the session is still
    /// active, with the caller's entry read again; false when it is not, the cookie then deleted as a refused cookie is.
    /// </summary>
    public static async Task<bool> RecheckAsync(HttpContext http)
    {
        http.Items.Remove(Key);
        CallerResolver.Forget(http);
        var sessions = http.RequestServices.GetRequiredService<AccountSessions>();
        sessions.Forget(http.User);
        if (await SessionValidation.CheckAndRememberAsync(sessions, http, http.User, mayReuse: false))
        {
            return true;
        }

        if (!SessionValidation.IsBearer(http))
        {
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        }

        return false;
    }
}
