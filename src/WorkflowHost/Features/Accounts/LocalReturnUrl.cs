using Microsoft.AspNetCore.Http.HttpResults;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// Where to go back to after a form: the given URL when the framework itself deems it local (the same check
/// <c>Results.LocalRedirect</c> makes, so the redirect can never throw), otherwise the inbox. Rejects absolute and
/// protocol-relative URLs (<c>//evil</c>, <c>/\evil</c>) and any control character (<c>/\t/evil</c>), which a browser would drop.
/// </summary>
public static class LocalReturnUrl
{
    public const string Inbox = "/inbox";

    public static bool IsLocal(string? url) => !string.IsNullOrEmpty(url) && RedirectHttpResult.IsLocalUrl(url);

    public static string OrInbox(string? url) => IsLocal(url) ? url! : Inbox;
}
