using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Features.Instances;
using WorkflowHost.Features.Tasks;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// Moves the deadline of one follow-up action (督办) or pledge delivery: a new due date or a number of working days,
/// with the reason, as <c>POST …/steps/{step}/deadline</c> does, checked by the same validator; who may is the
/// definition's <c>extendableBy</c> (the secretary unless it names someone else), decided by the engine.
/// </summary>
public sealed class FollowUpDeadlineModel(
    InstanceReader reader, ActivityRecords records, StepCommands commands, IValidator<ExtendDeadlineRequest> rules, IWorkingCalendar calendar) : WebPageModel
{
    public InstanceView Instance { get; private set; } = null!;

    public StepView Step { get; private set; } = null!;

    public ItemTaskView? Item { get; private set; }

    public bool MayExtend => Step.Links?.Deadline is not null;

    public string? Error { get; private set; }

    public bool Saved { get; private set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public override string Title => T.ExtendDeadline;

    public async Task<IActionResult> OnGetAsync(Guid id, string stepId, bool saved, CancellationToken cancellationToken)
    {
        Saved = saved;
        if (!await LoadAsync(id, stepId, cancellationToken))
        {
            return NotFound();
        }

        if (!MayExtend && !saved)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string stepId)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!await LoadAsync(id, stepId, cancellationToken))
        {
            return NotFound();
        }

        var form = await Request.ReadFormAsync(cancellationToken);
        var date = Keep(form, "dueDate");
        var days = Keep(form, "days");
        var reason = Keep(form, "reason");
        DateTimeOffset? dueAt = null;
        int? byDays = null;
        if (date.Length > 0)
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                FieldErrors["dueDate"] = T.FieldInvalid("Date", 0);
                return Refused(T.FixErrors);
            }

            // A due date means the end of that working day, as the definition's item due dates do.
            dueAt = calendar.EndOfWorkingDayOn(day);
        }

        if (days.Length > 0)
        {
            if (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                FieldErrors["days"] = T.DaysRange;
                return Refused(T.FixErrors);
            }

            byDays = n;
        }

        var request = new ExtendDeadlineRequest(dueAt, byDays, reason.Length > 0 ? reason : null);
        var result = await rules.ValidateAsync(request, cancellationToken);
        if (!result.IsValid)
        {
            foreach (var failure in result.Errors)
            {
                var (field, text) = failure.PropertyName switch
                {
                    nameof(ExtendDeadlineRequest.Reason) => ("reason", failure.ErrorCode == "MaximumLengthValidator" ? T.TooLong(500) : T.FieldRequired),
                    nameof(ExtendDeadlineRequest.ExtendByWorkingDays) => ("days", T.DaysRange),
                    _ when dueAt is not null && byDays is null => ("dueDate", T.DateNotLater),
                    _ => ("dueDate", T.GiveDateOrDays),
                };
                FieldErrors.TryAdd(field, text);
            }

            return Refused(T.FixErrors);
        }

        var stimulus = new ExtendDeadline(Step.StepId, Me.PersonId, reason,
            By: byDays is { } n2 ? new DurationSpec { WorkingDays = n2 } : null, Until: dueAt);
        var answer = CommandAnswer.From(await commands.RunAsync(HttpContext, Me, id, stimulus));
        if (answer.Succeeded)
        {
            return Redirect($"/follow-ups/{id}/{Uri.EscapeDataString(Step.StepId)}/deadline?saved=true");
        }

        foreach (var key in answer.Errors.Keys)
        {
            FieldErrors.TryAdd(key == "reason" ? "reason" : "dueDate", key == "reason" ? T.FieldRequired : T.DateNotLater);
        }

        return Refused(T.Refused + T.RefusalText(answer.Code), answer.Status);
    }

    public string? ErrorFor(string field) => FieldErrors.GetValueOrDefault(field);

    private string Keep(IFormCollection form, string field)
    {
        var value = form[field].ToString().Trim();
        Values[field] = value;
        return value;
    }

    /// <summary>The page again with the errors, answering the API's status for the same refusal (400 by default).</summary>
    private PageResult Refused(string error, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        return RefusedPage(status);
    }

    private async Task<bool> LoadAsync(Guid id, string stepId, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(Me, id, cancellationToken) is not { } instance)
        {
            return false;
        }

        Instance = instance;
        Step = instance.CurrentSteps.Concat(instance.PastSteps).FirstOrDefault(s => s.StepId == stepId && s.Task is not null)!;
        if (Step is null)
        {
            return false;
        }

        Item = (await records.ReadAsync(Me, instance, cancellationToken)).ItemTasks.FirstOrDefault(i => i.StepId == stepId);
        return Item is not null;
    }
}
