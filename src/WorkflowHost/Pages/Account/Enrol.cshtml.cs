using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Web;
using AccountEntity = WorkflowHost.Persistence.Entities.Account;

namespace WorkflowHost.Pages.Account;

/// <summary>
/// <c>/account/two-factor/enrol</c>: the QR code (inline SVG, which the Content-Security-Policy allows) and the key as
/// text, then a code to confirm, then the ten recovery codes, shown this once. Open to a signed-in person, and to one
/// whom the password step sent here because their role requires two factors (the enrolment ticket in the pending
/// cookie): for them, confirming also starts the session, so they are never locked out by the rule.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(AccountsRegistration.SignInRateLimit)]
internal sealed class EnrolModel(PendingSignIn pending, TotpCodes codes, PasswordSignIn signIn, UserManager<AccountEntity> users) : PageModel
{
    private Texts? _texts;

    public Texts T => _texts ??= new Texts(Request.Cookies[WebPagesRegistration.LanguageCookie]);

    public TotpEnrolment? Enrolment { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public bool Required { get; private set; }

    public string? Error { get; private set; }

    public string ReturnUrl => LocalReturnUrl.OrInbox(Request.Query["returnUrl"].FirstOrDefault());

    public async Task<IActionResult> OnGetAsync()
    {
        if (await EnrollingAsync() is not { } account)
        {
            return Redirect("/account/login?returnUrl=" + Uri.EscapeDataString("/account/two-factor/enrol"));
        }

        Enrolment = await codes.BeginEnrolmentAsync(account, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await EnrollingAsync() is not { } account)
        {
            return Redirect("/account/login?returnUrl=" + Uri.EscapeDataString("/account/two-factor/enrol"));
        }

        var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
        var code = form["code"].FirstOrDefault()?.Replace(" ", "", StringComparison.Ordinal) ?? "";
        RecoveryCodes = await codes.ConfirmEnrolmentAsync(account, code, HttpContext.RequestAborted);
        if (RecoveryCodes is null)
        {
            // A new secret: the one shown before stays unconfirmed and is replaced.
            Error = T.EnrolWrongCode;
            Enrolment = await codes.BeginEnrolmentAsync(account, HttpContext.RequestAborted);
            var page = Page();
            page.StatusCode = StatusCodes.Status400BadRequest;
            return page;
        }

        if (Required)
        {
            // Password and a code from the new authenticator: both factors, so the session starts here.
            PendingSignIn.ClearCookie(HttpContext);
            await signIn.CookieSignInAsync(account);
        }

        return Page();
    }

    private async Task<AccountEntity?> EnrollingAsync()
    {
        if (User.Identity?.IsAuthenticated == true && SessionClaims.AccountOf(User) is { } accountId)
        {
            return await users.FindByIdAsync(accountId);
        }

        Required = true;
        return await pending.ReadAsync(Request.Cookies[PendingSignIn.CookieName], PendingStep.Enrol) is { TwoFactorEnabled: false } account ? account : null;
    }
}
