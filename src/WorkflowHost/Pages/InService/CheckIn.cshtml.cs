using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.InService;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>
/// The member's check-in on their phone: the six-digit code shown at the event (the QR code opens this page with it filled
/// in). A wrong code is refused next to the field; a second check-in says the member was already counted.
/// </summary>
public sealed class CheckInModel(ParticipationLog log, IValidator<CheckInRequest> rules) : WebPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public string? Notice { get; private set; }

    public string? Error { get; private set; }

    public override string Title => T.CheckInTitle;

    public IActionResult OnGet() => InServiceAccess.IsMember(Me) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!InServiceAccess.IsMember(Me))
        {
            return NotFound();
        }

        if (!(await rules.ValidateAsync(new CheckInRequest(Code), cancellationToken)).IsValid)
        {
            return Refused(T.CheckInFormat, StatusCodes.Status400BadRequest);
        }

        var result = await log.CheckInAsync(Me.CommunityId, Me.PersonId, Code!, cancellationToken);
        if (result.Outcome == LogOutcome.Done)
        {
            Notice = result.Added == 0 ? T.AlreadyCheckedIn(result.Title ?? "") : T.CheckedIn(result.Title ?? "");
            Code = null;
            return Page();
        }

        var message = result.Outcome switch
        {
            LogOutcome.WrongCode => T.CheckInWrongCode,
            LogOutcome.NotValidNow => T.CheckInClosed,
            LogOutcome.TooManyAttempts => T.CheckInTooMany,
            _ => T.CheckInNeedsRegistration,
        };
        return Refused(message, CommandAnswer.From(ParticipationEndpoints.CheckInAnswer(result)).Status);
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Refused(string message, int status)
    {
        Error = message;
        return RefusedPage(status);
    }
}
