using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Persistence.InService;

namespace WorkflowHost.Features.InService;

/// <summary>Why the office removes a member's attendance entry; kept with the removal (decision 139).</summary>
public sealed record RemoveAttendanceRequest(string? Reason);

public sealed record AttendanceRemovedView(Guid Activity, string Person);

internal sealed class RemoveAttendanceRules : AbstractValidator<RemoveAttendanceRequest>
{
    public RemoveAttendanceRules() =>
        RuleFor(r => r.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("Give a reason.").MaximumLength(ParticipationLog.MaxRemovalReasonLength);
}

/// <summary>
/// The office removes a wrongly recorded attendance entry (a tick, a check-in): 404 for an activity or entry that is not
/// there, 409 <c>attendanceRemoved</c> when it was removed already; nothing changes on a refusal.
/// </summary>
internal static class AttendanceRemovals
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/activities/{id:guid}/attendance/removals", ListAsync)
            .WithName("ListActivityAttendanceRemovals")
            .WithSummary("The entries the office removed from an activity's attendance, newest first: whom, how they were counted, who removed them, when and why")
            .Produces<IReadOnlyList<RemovedAttendance>>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/activities/{id:guid}/attendance/{personId}/removal", RemoveAsync)
            .Accepts<RemoveAttendanceRequest>("application/json")
            .WithName("RemoveActivityAttendance")
            .WithSummary("The office removes a member's attendance entry with a reason: counts, the roster and the record drop it; it may be recorded again")
            .Produces<AttendanceRemovedView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(Guid id, Caller caller, ParticipationLog log, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(caller))
        {
            return Problems.Forbidden("Attendance is kept by the office.");
        }

        return await log.SheetAsync(caller.CommunityId, id, cancellationToken) is null
            ? Problems.NotFound($"There is no activity '{id}'.")
            : Results.Ok(await log.RemovalsAsync(caller.CommunityId, id, cancellationToken));
    }

    private static async Task<IResult> RemoveAsync(Guid id, string personId, Body<RemoveAttendanceRequest> body, Caller caller, ParticipationLog log, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(caller))
        {
            return Problems.Forbidden("Attendance is kept by the office.");
        }

        var result = await log.RemoveAttendanceAsync(caller.PersonId, caller.CommunityId, id, personId, body.Value.Reason!.Trim(), cancellationToken);
        return result.Outcome == LogOutcome.Done ? Results.Ok(new AttendanceRemovedView(id, personId)) : Refusal(result);
    }

    /// <summary>The answer to a refused removal; the activity page answers the same status.</summary>
    internal static IResult Refusal(LogResult result) =>
        result.Outcome == LogOutcome.AlreadyRemoved ? Problems.Conflict("attendanceRemoved", result.Message) : Problems.NotFound(result.Message);
}
