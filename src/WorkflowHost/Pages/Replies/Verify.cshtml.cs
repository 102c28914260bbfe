using FluentValidation;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Features.Replies;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.Replies;

/// <summary>
/// Public reply verification (回执核验), no sign-in: HR types the number and code, or scans the reply's QR code, and sees
/// what the reply says (<see cref="ReplyVerifier"/>). Rate limited per address like the API's verification, so the page
/// cannot be used to try codes faster than the API allows.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(AccountsRegistration.PublicRateLimit)]
public sealed class VerifyModel(ReplyVerifier verifier, IValidator<ReplyLookup> validator, IAntiforgery antiforgery) : PageModel
{
    private Texts? _texts;

    /// <summary>No one is signed in here: the language is the switch's cookie, Chinese by default.</summary>
    public Texts T => _texts ??= new Texts(Request.Cookies[WebPagesRegistration.LanguageCookie]);

    public string? Number { get; private set; }

    public string? Code { get; private set; }

    public VerifiedReply? Reply { get; private set; }

    public bool Asked { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>For the language switch, a post that needs the antiforgery token like every other form.</summary>
    public AntiforgeryTokenSet Tokens { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? number, string? code, CancellationToken cancellationToken)
    {
        Tokens = antiforgery.GetAndStoreTokens(HttpContext);
        Number = number;
        Code = code;
        // An empty field is a question asked badly (400), not no question: binding turns "" into null, so look at the query.
        if (!Request.Query.ContainsKey("number") && !Request.Query.ContainsKey("code"))
        {
            return Page();
        }

        Asked = true;
        var validation = await validator.ValidateAsync(new ReplyLookup(number, code), cancellationToken);
        if (!validation.IsValid)
        {
            Errors = [.. validation.Errors.Select(e => e.ErrorMessage)];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Reply = await verifier.VerifyAsync(number!, code!, cancellationToken);
        if (Reply is null)
        {
            // The same answer for an unknown number and a wrong code, as the API gives.
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }
}
