using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowHost.Features.InService;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>
/// One activity for the office: its attendance sheet (tick the registered members present, and volunteers) and its check-in
/// (open one for a number of minutes; the code and its QR code are shown while it is open).
/// </summary>
public sealed class ActivityModel(
    ParticipationLog log, IValidator<AttendanceRequest> attendanceRules, IValidator<OpenCheckInRequest> checkInRules, IValidator<RemoveAttendanceRequest> removalRules)
    : WebPageModel
{
    public AttendanceSheet Sheet { get; private set; } = null!;

    /// <summary>Entries the office removed (decision 139), newest first.</summary>
    public IReadOnlyList<RemovedAttendance> Removals { get; private set; } = [];

    /// <summary>The form field of the removal of <paramref name="person"/>'s entry, for its error.</summary>
    public static string RemovalField(string person) => "remove:" + person;

    public string? Notice { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public override string Title => Sheet?.Activity.Title ?? T.InServiceActivities;

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    /// <summary>The QR code of the open check-in: the member's check-in page with the code filled in.</summary>
    public string? CheckInQr => Sheet.Activity.OpenCheckIn is { } open ? VerificationQr.Svg(CheckInLinks.For(Request, open.Code), T.CheckInQrLabel) : null;

    public async Task<IActionResult> OnGetAsync(Guid id, int? added, string? removed, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        Notice = added is { } n ? T.AttendanceSaved(n) : null;
        if (removed is not null)
        {
            var shown = await ShowAsync(id, cancellationToken);
            Notice = T.AttendanceRemovedNotice(Sheet?.Members.FirstOrDefault(m => m.PersonId == removed)?.NameZh ?? removed);
            return shown;
        }

        return await ShowAsync(id, cancellationToken);
    }

    public async Task<IActionResult> OnPostAttendanceAsync(Guid id, List<string>? present, List<string>? volunteer)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        var request = new AttendanceRequest(present ?? [], volunteer ?? []);
        if (!(await attendanceRules.ValidateAsync(request, cancellationToken)).IsValid)
        {
            return await RefusedAsync(id, "present", T.AttendanceNeedsSomeone, cancellationToken);
        }

        var result = await log.RecordAttendanceAsync(Me.PersonId, Me.CommunityId, id, request.ToInput(), cancellationToken);
        return result.Outcome switch
        {
            LogOutcome.Done => Redirect($"/in-service/activities/{id}?added={result.Added}"),
            LogOutcome.NotFound => NotFound(),
            _ => await RefusedAsync(id, "present", T.AttendanceStranger, cancellationToken),
        };
    }

    public async Task<IActionResult> OnPostCheckInAsync(Guid id, int? minutes)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        if (!(await checkInRules.ValidateAsync(new OpenCheckInRequest(minutes, null), cancellationToken)).IsValid)
        {
            return await RefusedAsync(id, "minutes", T.CheckInMinutesInvalid, cancellationToken);
        }

        var now = Now;
        var result = await log.OpenCheckInAsync(Me.PersonId, Me.CommunityId, id, now, now.AddMinutes(minutes!.Value), cancellationToken);
        return result.Outcome switch
        {
            LogOutcome.Done => Redirect($"/in-service/activities/{id}"),
            LogOutcome.NotFound => NotFound(),
            _ => await RefusedAsync(id, "minutes", T.CheckInMinutesInvalid, cancellationToken),
        };
    }

    /// <summary>Removes a wrongly recorded entry with a reason (decision 139); the error stands next to that member's reason.</summary>
    public async Task<IActionResult> OnPostRemoveAsync(Guid id, string? person, string? reason)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(person))
        {
            // The API's removal is addressed to a person: without one there is no entry to remove (404 there too).
            return await RefusedAsync(id, "present", T.AttendanceRemovalRefused("notCounted"), cancellationToken, StatusCodes.Status404NotFound);
        }

        var request = new RemoveAttendanceRequest(reason?.Trim());
        if (!(await removalRules.ValidateAsync(request, cancellationToken)).IsValid)
        {
            return await RefusedAsync(id, RemovalField(person), T.AttendanceRemovalRefused("reason"), cancellationToken);
        }

        var result = await log.RemoveAttendanceAsync(Me.PersonId, Me.CommunityId, id, person, request.Reason!, cancellationToken);
        return result.Outcome switch
        {
            LogOutcome.Done => Redirect($"/in-service/activities/{id}?removed={Uri.EscapeDataString(person)}"),
            LogOutcome.NotFound => NotFound(),
            _ => await RefusedAsync(id, RemovalField(person), T.AttendanceRemovalRefused(result.Outcome == LogOutcome.AlreadyRemoved ? "attendanceRemoved" : "notCounted"),
                cancellationToken, CommandAnswer.From(AttendanceRemovals.Refusal(result)).Status),
        };
    }

    /// <summary>
    /// The sheet again with <paramref name="message"/> next to <paramref name="field"/>, answering the API's status for the
    /// same refusal: 400 for a form it refuses as input (nobody ticked, a missing reason), the removal's own otherwise.
    /// </summary>
    private async Task<IActionResult> RefusedAsync(Guid id, string field, string message, CancellationToken cancellationToken, int status = StatusCodes.Status400BadRequest)
    {
        if (await ShowAsync(id, cancellationToken) is not PageResult)
        {
            return NotFound();
        }

        // A removal refused for someone not counted (any more) has no form of its own to stand next to: the message
        // stands by the attendance list, where that member's row is.
        var counted = Sheet.Members.Any(m => m.Source is not null && RemovalField(m.PersonId) == field);
        Errors[field.StartsWith(RemovalField(""), StringComparison.Ordinal) && !counted ? "present" : field] = message;
        return RefusedPage(status);
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await log.SheetAsync(Me.CommunityId, id, cancellationToken) is not { } sheet)
        {
            return NotFound();
        }

        Sheet = sheet;
        Removals = await log.RemovalsAsync(Me.CommunityId, id, cancellationToken);
        return Page();
    }
}
