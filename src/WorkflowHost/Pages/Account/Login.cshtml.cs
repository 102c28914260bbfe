using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.Account;

/// <summary>
/// Cookie sign-in for the web pages: a server-rendered form posted back here. The post is checked for the antiforgery
/// token, so a cross-site form cannot sign anyone in. Sign-out is <c>POST /account/logout</c> (<see cref="AccountsRegistration"/>).
/// </summary>
/// <remarks>
/// Until this page existed the form was a minimal-API endpoint, and the answers to a post that is not a proper form are
/// kept as that endpoint gave them: a body that is not a form is a 415, an empty post or a missing or wrong token a 400.
/// So Razor Pages' own antiforgery check is switched off and the token is checked here, after the 415. The form's values
/// are read from <see cref="HttpRequest.Form"/>, never handler arguments, which MVC writes into a Trace log entry (the
/// password with them; docs/decisions/0055). Only posts count against the sign-in rate limit (see AccountsRegistration).
/// </remarks>
[AllowAnonymous]
[GetAndPostOnly]
[IgnoreAntiforgeryToken]
[EnableRateLimiting(AccountsRegistration.SignInRateLimit)]
internal sealed class LoginModel(IAntiforgery antiforgery, PasswordSignIn signIn, TwoFactorGate gate, PendingSignIn pending, IOptions<RouteHandlerOptions> routeHandlers) : PageModel
{
    private Texts? _texts;

    /// <summary>Before sign-in the language is the one chosen with the switch (a cookie), Chinese by default.</summary>
    public Texts T => _texts ??= new Texts(Request.Cookies[WebPagesRegistration.LanguageCookie]);

    public AntiforgeryTokenSet Tokens { get; private set; } = null!;

    public string? Error { get; private set; }

    public string? ReturnUrl { get; private set; }

    public string FormReturnUrl => LocalReturnUrl.OrInbox(ReturnUrl);

    public IActionResult OnGet() => Form(Request.Query["returnUrl"].FirstOrDefault(), error: null, StatusCodes.Status200OK);

    public async Task<IActionResult> OnPostAsync()
    {
        // Anything but a posted form (JSON, text) is the client's mistake.
        if (!Request.HasFormContentType && (Request.ContentType is not null || CanHaveBody))
        {
            return StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        if (!CanHaveBody)
        {
            return BadForm("Unexpected request without body, failed to bind parameter \"SignInForm form\" from the request body as form.");
        }

        try
        {
            // Also reads the form: a body that is not a readable form (a broken multipart) fails here as well.
            await antiforgery.ValidateRequestAsync(HttpContext);
        }
        catch (AntiforgeryValidationException)
        {
            return BadForm("Invalid anti-forgery token found when reading parameter \"SignInForm form\" from the request body as form.");
        }

        var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
        // A field sent twice counts once, with its first value.
        string? Field(string name) => form[name] is { Count: > 0 } values ? values[0] : null;
        var (userName, password, returnUrl) = (Field("userName"), Field("password"), Field("returnUrl"));

        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return Form(returnUrl, T.EnterUserAndPassword, StatusCodes.Status400BadRequest);
        }

        var (account, problem) = await signIn.CheckAsync(userName, password);
        if (problem is not null)
        {
            return Form(returnUrl, T.SignInFailed, StatusCodes.Status401Unauthorized);
        }

        // A second step first: the pending ticket goes into an HttpOnly cookie, and no session exists until that step passes.
        if (await gate.NextStepAsync(account!, HttpContext.RequestAborted) is { } step)
        {
            pending.SetCookie(HttpContext, pending.Issue(account!, step));
            var next = step == PendingStep.Code ? "/account/two-factor" : "/account/two-factor/enrol";
            return LocalRedirect($"{next}?returnUrl={Uri.EscapeDataString(LocalReturnUrl.OrInbox(returnUrl))}");
        }

        await signIn.CookieSignInAsync(account!);
        return LocalRedirect(LocalReturnUrl.OrInbox(returnUrl));
    }

    private bool CanHaveBody => HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    private PageResult Form(string? returnUrl, string? error, int status)
    {
        Tokens = antiforgery.GetAndStoreTokens(HttpContext);
        ReturnUrl = returnUrl;
        Error = error;
        var page = Page();
        page.StatusCode = status;
        return page;
    }

    /// <summary>
    /// The 400 that minimal-API form binding gave: in Development (<see cref="RouteHandlerOptions.ThrowOnBadRequest"/>)
    /// a problem with this detail, through the exception handler; elsewhere a bare 400 that UseStatusCodePages words.
    /// </summary>
    private StatusCodeResult BadForm(string detail) =>
        routeHandlers.Value.ThrowOnBadRequest ? throw new BadHttpRequestException(detail) : StatusCode(StatusCodes.Status400BadRequest);

}

/// <summary>
/// A page answers every method (HEAD as GET); this one, like the endpoint it replaced, only GET and POST: anything else
/// is a 405 from routing, with an Allow header.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class GetAndPostOnlyAttribute : Attribute, IHttpMethodMetadata
{
    public IReadOnlyList<string> HttpMethods { get; } = [Microsoft.AspNetCore.Http.HttpMethods.Get, Microsoft.AspNetCore.Http.HttpMethods.Post];

    public bool AcceptCorsPreflight { get; set; }
}
