using WorkflowHost.Api;
using WorkflowHost.Persistence.InService;

namespace WorkflowHost.Features.InService;

/// <summary>
/// The participation log: the office's attendance for an activity co-organisation, check-ins with a short code
/// (decision 0127), and the dashboard's in-service figures. Everything inside the caller's own community.
/// </summary>
internal static class ParticipationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/in-service").WithTags("InService");

        group.MapGet("/activities", ActivitiesAsync)
            .WithName("ListInServiceActivities")
            .WithSummary("The community's activity co-organisations (not declined or withdrawn), newest first, with members counted and any open check-in")
            .Produces<IReadOnlyList<ActivityRow>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/activities/{id:guid}/attendance", SheetAsync)
            .WithName("GetActivityAttendance")
            .WithSummary("One activity's attendance sheet: every registered member, counted or not, and how (summary, office, check-in)")
            .Produces<AttendanceSheet>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/activities/{id:guid}/attendance", RecordAsync)
            .Accepts<AttendanceRequest>("application/json")
            .WithName("RecordActivityAttendance")
            .WithSummary("The office counts registered members present (and volunteers); a member already counted is left as is, a stranger refuses the whole entry")
            .Produces<AttendanceRecordedView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        AttendanceRemovals.Map(group);

        group.MapPost("/activities/{id:guid}/check-ins", OpenAsync)
            .Accepts<OpenCheckInRequest>("application/json")
            .WithName("OpenActivityCheckIn")
            .WithSummary("The office opens a check-in for an activity and gets its six-digit code and the link a QR code carries")
            .Produces<CheckInOpenedView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/check-ins", CheckInAsync)
            .Accepts<CheckInRequest>("application/json")
            .WithName("CheckInToActivity")
            .WithSummary("A registered member checks in with the code shown at the event; a second check-in adds nothing; wrong codes are limited")
            .Produces<CheckedInView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapGet("/figures", FiguresAsync)
            .WithName("GetInServiceFigures")
            .WithSummary("The dashboard's in-service figures: registration rate per unit (where the unit gave its total) and confirmed hours per month this year")
            .Produces<InServiceFiguresView>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private const string OfficeOnly = "Attendance and check-ins are kept by the office.";

    private static async Task<IResult> ActivitiesAsync(Caller caller, ParticipationLog log, CancellationToken cancellationToken) =>
        !InServiceAccess.IsOffice(caller) ? Problems.Forbidden(OfficeOnly) : Results.Ok(await log.ActivitiesAsync(caller.CommunityId, cancellationToken));

    private static async Task<IResult> SheetAsync(Guid id, Caller caller, ParticipationLog log, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(caller))
        {
            return Problems.Forbidden(OfficeOnly);
        }

        return await log.SheetAsync(caller.CommunityId, id, cancellationToken) is { } sheet
            ? Results.Ok(sheet)
            : Problems.NotFound($"There is no activity '{id}'.");
    }

    private static async Task<IResult> RecordAsync(Guid id, Body<AttendanceRequest> body, Caller caller, ParticipationLog log, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(caller))
        {
            return Problems.Forbidden(OfficeOnly);
        }

        var result = await log.RecordAttendanceAsync(caller.PersonId, caller.CommunityId, id, body.Value.ToInput(), cancellationToken);
        return result.Outcome switch
        {
            LogOutcome.Done => Results.Ok(new AttendanceRecordedView(id, result.Added)),
            LogOutcome.NotFound => Problems.NotFound(result.Message),
            _ => Problems.Field("present", result.Message),
        };
    }

    private static async Task<IResult> OpenAsync(
        Guid id, Body<OpenCheckInRequest> body, Caller caller, ParticipationLog log, TimeProvider time, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(caller))
        {
            return Problems.Forbidden(OfficeOnly);
        }

        var opensAt = body.Value.OpensAt ?? time.GetUtcNow();
        var result = await log.OpenCheckInAsync(caller.PersonId, caller.CommunityId, id, opensAt, opensAt.AddMinutes(body.Value.Minutes!.Value), cancellationToken);
        return result.Outcome switch
        {
            LogOutcome.Done => Results.Created($"/api/in-service/activities/{id}/attendance", Opened(id, result, request)),
            LogOutcome.NotFound => Problems.NotFound(result.Message),
            _ => Problems.Field("opensAt", result.Message),
        };
    }

    internal static CheckInOpenedView Opened(Guid activity, LogResult result, HttpRequest request) => new(
        result.CheckIn!.Id, activity, result.Title ?? "", result.CheckIn.Code, result.CheckIn.OpensAt, result.CheckIn.ClosesAt,
        CheckInLinks.For(request, result.CheckIn.Code));

    private static async Task<IResult> CheckInAsync(Body<CheckInRequest> body, Caller caller, ParticipationLog log, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsMember(caller))
        {
            return Problems.Forbidden("Only in-service party members check in to activities.");
        }

        var result = await log.CheckInAsync(caller.CommunityId, caller.PersonId, body.Value.Code!, cancellationToken);
        return CheckInAnswer(result);
    }

    internal static IResult CheckInAnswer(LogResult result) => result.Outcome switch
    {
        LogOutcome.Done => Results.Ok(new CheckedInView(result.Title ?? "", result.Added == 0)),
        LogOutcome.NotRegistered => Problems.Forbidden(result.Message),
        LogOutcome.WrongCode => Problems.Field("code", result.Message),
        LogOutcome.NotValidNow => Problems.Conflict("check-in-closed", result.Message),
        LogOutcome.TooManyAttempts => Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts.", detail: result.Message,
            extensions: new Dictionary<string, object?> { ["code"] = "too-many-attempts" }),
        _ => Problems.Conflict("refused", result.Message),
    };

    private static async Task<IResult> FiguresAsync(Caller caller, InServiceFigures figures, InServiceRecords records, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(caller))
        {
            return Problems.Forbidden("The in-service figures are the office's.");
        }

        var year = records.Today.Year;
        var minutes = await records.MinutesPerMonthAsync(caller.CommunityId, year, cancellationToken);
        return Results.Ok(new InServiceFiguresView(year, await figures.RegistrationRatesAsync(caller.CommunityId, cancellationToken), [.. minutes.Select(m => m / 60m)]));
    }
}
