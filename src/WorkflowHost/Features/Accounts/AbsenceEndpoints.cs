using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Features.Accounts;

/// <summary>请假: the first and last day away (both included) and, optionally, the deputy (代理人) who takes personal tasks.</summary>
public sealed record AbsenceRequest(DateOnly? FirstDay, DateOnly? LastDay, string? Deputy);

/// <summary>The caller's leave as stored, or 404 when none is set.</summary>
public sealed record AbsenceView(DateOnly FirstDay, DateOnly LastDay, string? Deputy, DateTimeOffset SetAt);

internal sealed class AbsenceRequestValidator : AbstractValidator<AbsenceRequest>
{
    public AbsenceRequestValidator()
    {
        RuleFor(r => r.FirstDay).NotNull();
        RuleFor(r => r.LastDay).NotNull();
        RuleFor(r => r.LastDay).GreaterThanOrEqualTo(r => r.FirstDay).When(r => r.FirstDay is not null && r.LastDay is not null)
            .WithMessage("'lastDay' must not be before 'firstDay'.");
        RuleFor(r => r.Deputy).MaximumLength(64);
    }
}

/// <summary>
/// Each person sets their own leave; nobody sets another's. Tasks assigned to them by name go to the deputy while they
/// are away, tasks for their role skip them, and their ballots stay theirs (docs/decisions/0117, 0118).
/// </summary>
internal static class AbsenceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var absence = api.MapGroup("/account/absence").WithTags("Account");

        absence.MapGet("", async (Caller caller, AbsenceStore store, CancellationToken cancellationToken) =>
                await store.GetAsync(caller.PersonId, cancellationToken) is { } row
                    ? Results.Ok(new AbsenceView(row.FirstDay, row.LastDay, row.DeputyId, row.SetAt))
                    : Problems.NotFound("You have set no leave."))
            .WithName("GetAbsence")
            .WithSummary("Your leave (请假) and deputy, if you set one")
            .Produces<AbsenceView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        absence.MapPut("", async (Body<AbsenceRequest> body, Caller caller, AbsenceStore store, LeaveRouting leaves, IWorkingCalendar calendar, TimeProvider time, CancellationToken cancellationToken) =>
            {
                var request = body.Value;
                var deputy = string.IsNullOrWhiteSpace(request.Deputy) ? null : request.Deputy.Trim();
                var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), calendar.TimeZone).DateTime);
                var refusal = await store.SetAsync(caller.CommunityId, caller.PersonId, new AbsenceChange(request.FirstDay!.Value, request.LastDay!.Value, deputy), today, cancellationToken);
                if (refusal is null)
                {
                    // A leave starting today moves the tasks already open at once (decision 132); a later one, on its first day.
                    await leaves.ApplyAsync(caller.PersonId, cancellationToken);
                }

                return refusal is null
                    ? Results.Ok(new AbsenceView(request.FirstDay.Value, request.LastDay.Value, deputy, time.GetUtcNow()))
                    : Problems.Field(refusal.Field, refusal.Message);
            })
            .Accepts<AbsenceRequest>("application/json")
            .WithName("SetAbsence")
            .WithSummary("Set your leave and deputy; replaces any leave set before")
            .WithDescription("400 when the dates are reversed, already over or longer than 366 days, or the deputy is yourself or not an active person of your community.")
            .Produces<AbsenceView>()
            .ProducesValidationProblem();

        absence.MapDelete("", async (Caller caller, AbsenceStore store, CancellationToken cancellationToken) =>
            {
                await store.ClearAsync(caller.CommunityId, caller.PersonId, cancellationToken);
                return Results.NoContent();
            })
            .WithName("ClearAbsence")
            .WithSummary("Clear your leave: you are back")
            .Produces(StatusCodes.Status204NoContent);
    }
}
