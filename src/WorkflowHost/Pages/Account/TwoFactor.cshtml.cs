using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.Account;

/// <summary>
/// <c>/account/two-factor</c>: the second step of a cookie sign-in. The password step left a ticket in an HttpOnly cookie
/// (<see cref="PendingSignIn"/>); a right code (or an unused recovery code) starts the session. A wrong one is refused
/// and counts toward the lockout. Codes are read from the form, not handler arguments (those reach Trace logs).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(AccountsRegistration.SignInRateLimit)]
internal sealed class TwoFactorModel(PendingSignIn pending, TotpCodes codes, PasswordSignIn signIn) : PageModel
{
    private Texts? _texts;

    public Texts T => _texts ??= new Texts(Request.Cookies[WebPagesRegistration.LanguageCookie]);

    public string? Error { get; private set; }

    public string ReturnUrl => LocalReturnUrl.OrInbox(Request.Query["returnUrl"].FirstOrDefault());

    public async Task<IActionResult> OnGetAsync() =>
        await pending.ReadAsync(Request.Cookies[PendingSignIn.CookieName], PendingStep.Code) is null ? ToLogin() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await pending.ReadAsync(Request.Cookies[PendingSignIn.CookieName], PendingStep.Code);
        if (account is null)
        {
            return ToLogin();
        }

        var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
        var (code, recovery) = (form["code"].FirstOrDefault()?.Trim() ?? "", form["recoveryCode"].FirstOrDefault()?.Trim() ?? "");
        var passed = recovery.Length > 0
            ? recovery.Length <= 32 && await codes.RedeemRecoveryCodeAsync(account, recovery, HttpContext.RequestAborted)
            : await codes.VerifyAsync(account, code, HttpContext.RequestAborted) == CodeCheck.Accepted;
        if (!passed)
        {
            Error = T.TwoFactorFailed;
            var page = Page();
            page.StatusCode = StatusCodes.Status401Unauthorized;
            return page;
        }

        PendingSignIn.ClearCookie(HttpContext);
        await signIn.CookieSignInAsync(account);
        return LocalRedirect(ReturnUrl);
    }

    private RedirectResult ToLogin()
    {
        PendingSignIn.ClearCookie(HttpContext);
        return Redirect("/account/login?returnUrl=" + Uri.EscapeDataString(ReturnUrl));
    }
}
