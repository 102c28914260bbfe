using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.Account;

/// <summary>
/// <c>/account/invitation/{token}</c> and <c>/account/reset/{token}</c>: whom the link is for, and a form to set the
/// password. No sign-in needed. After the password is set the person is signed in, or sent to the sign-in page when a
/// second step comes first. The token and the password are read from the route and the form, never from handler
/// arguments, which MVC writes into Trace log entries (docs/decisions/0105).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(AccountsRegistration.PublicRateLimit)]
internal sealed class LinkModel(AccountLinks links, TwoFactorGate gate, PasswordSignIn signIn, WorkflowHost.Engine.Time.IWorkingCalendar calendar) : PageModel
{
    private Texts? _texts;

    public Texts T => _texts ??= new Texts(Request.Cookies[WebPagesRegistration.LanguageCookie]);

    public LinkView? Link { get; private set; }

    public string? Error { get; private set; }

    public string? Refusal { get; private set; }

    public string Purpose => (string)RouteData.Values["purpose"]!;

    public string Until => Link?.ExpiresAt is { } end ? T.FormatTime(end, calendar.TimeZone) : "";

    public async Task<IActionResult> OnGetAsync() => await ShowAsync(null, StatusCodes.Status200OK);

    public async Task<IActionResult> OnPostAsync()
    {
        var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
        var (password, repeat) = (form["password"].FirstOrDefault() ?? "", form["repeat"].FirstOrDefault() ?? "");
        if (password.Length == 0 || password != repeat)
        {
            return await ShowAsync(password.Length == 0 ? T.PasswordHint : T.PasswordsDiffer, StatusCodes.Status400BadRequest);
        }

        var (state, result, account) = await links.UseAsync(Purpose, Token, password, HttpContext.RequestAborted);
        if (state != LinkState.Valid)
        {
            return await ShowAsync(null, StatusCodes.Status200OK);
        }

        if (!result!.Succeeded)
        {
            return await ShowAsync(string.Join(" ", result.Errors.Select(e => e.Description)), StatusCodes.Status400BadRequest);
        }

        if (await gate.NextStepAsync(account!, HttpContext.RequestAborted) is not null)
        {
            return LocalRedirect("/account/login?passwordSet=1");
        }

        await signIn.CookieSignInAsync(account!);
        return LocalRedirect(LocalReturnUrl.Inbox);
    }

    private string Token => (string)RouteData.Values["token"]!;

    private async Task<IActionResult> ShowAsync(string? error, int status)
    {
        Link = await links.ReadAsync(Purpose, Token, HttpContext.RequestAborted);
        Error = error;
        Refusal = Link.State switch
        {
            LinkState.Valid => null,
            LinkState.Used => T.LinkUsed,
            LinkState.Expired => T.LinkExpired,
            LinkState.Superseded => T.LinkSuperseded,
            LinkState.Deactivated => T.LinkAccountDeactivated,
            _ => T.LinkUnknown,
        };
        var page = Page();
        page.StatusCode = Link.State switch
        {
            LinkState.Valid => status,
            LinkState.Used or LinkState.Deactivated => StatusCodes.Status409Conflict,
            LinkState.Expired or LinkState.Superseded => StatusCodes.Status410Gone,
            _ => StatusCodes.Status404NotFound,
        };
        return page;
    }
}
