using FluentValidation;
using FluentValidation.Results;
using WorkflowHost.Api;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Features.InService;

/// <summary>
/// 在职党员进社区: the member's own record, posts and wishes to claim, claims the office confirms with hours, the roster and
/// its export. Registration itself is a process (<c>in-service-registration</c>, <c>in-service-bulk-registration</c>)
/// started and confirmed through the instance endpoints like any other.
/// </summary>
internal static class InServiceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/in-service").WithTags("InService");

        group.MapGet("/me", MineAsync)
            .WithName("GetMyInServiceRecord")
            .WithSummary("The signed-in in-service member's registration, ended registrations, hours this year and last, and claims")
            .Produces<MemberRecordView>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/offers", OffersAsync)
            .WithName("ListServiceOffers")
            .WithSummary("Service posts and small wishes of the caller's community whose date has not passed, with the places left")
            .Produces<IReadOnlyList<OfferView>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/offers", PublishAsync)
            .Accepts<PublishOfferRequest>("application/json")
            .WithName("PublishServiceOffer")
            .WithSummary("The office publishes a service post (kind post, with a category) or a small wish (kind wish)")
            .Produces<OfferView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/offers/{id:guid}/claims", ClaimAsync)
            .WithName("ClaimServiceOffer")
            .WithSummary("A registered in-service member claims a place; no place left answers 409 full, and nothing changes")
            .Produces<ClaimView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/claims", ClaimsToConfirmAsync)
            .WithName("ListClaimsToConfirm")
            .WithSummary("Claims waiting for the office to confirm, soonest date first")
            .Produces<IReadOnlyList<ClaimToConfirm>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/claims/{id:guid}/confirmation", ConfirmAsync)
            .Accepts<ConfirmClaimRequest>("application/json")
            .WithName("ConfirmServiceClaim")
            .WithSummary("The office confirms a claim: served with the hours (half hours) and the day, or not fulfilled (the place is given back)")
            .Produces<ClaimView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/roster", RosterAsync)
            .WithName("GetInServiceRoster")
            .WithSummary("Registered in-service members with their hours this year; the office sees all (filters unit, category), a unit's liaison their own unit's")
            .Produces<IReadOnlyList<RosterRow>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/roster/export", ExportAsync)
            .WithName("ExportInServiceRoster")
            .WithSummary("The filtered roster as an .xlsx workbook, headers in the caller's language")
            .Produces<byte[]>(StatusCodes.Status200OK, Spreadsheet.XlsxType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        Feedback.FeedbackEndpoints.Map(group);
    }

    private static async Task<IResult> MineAsync(Caller caller, InServiceRecords records, CancellationToken cancellationToken) =>
        !InServiceAccess.IsMember(caller)
            ? Problems.Forbidden("Only in-service party members have an in-service record.")
            : Results.Ok(MemberRecordView.Of((await records.MemberAsync(caller.CommunityId, caller.PersonId, cancellationToken))!));

    private static async Task<IResult> OffersAsync(Caller caller, InServiceRecords records, CancellationToken cancellationToken) =>
        !InServiceAccess.IsMember(caller) && !InServiceAccess.IsOffice(caller)
            ? Problems.Forbidden("Service posts are for in-service party members and the office.")
            : Results.Ok((await records.OpenOffersAsync(caller.CommunityId, cancellationToken)).Select(OfferView.Of).ToList());

    private static async Task<IResult> PublishAsync(Body<PublishOfferRequest> body, Caller caller, ServiceDesk desk, InServiceRecords records, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(caller))
        {
            return Problems.Forbidden("Only the office publishes service posts and small wishes.");
        }

        var result = await desk.PublishAsync(caller.PersonId, caller.CommunityId, body.Value.ToInput(), cancellationToken);
        if (!result.Succeeded)
        {
            return Problems.Field("dueOn", result.Message);
        }

        var offer = (await records.OpenOffersAsync(caller.CommunityId, cancellationToken)).Single(o => o.Offer.Id == result.Id);
        return Results.Created($"/api/in-service/offers/{result.Id}", OfferView.Of(offer));
    }

    private static async Task<IResult> ClaimAsync(Guid id, Caller caller, ServiceDesk desk, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsMember(caller))
        {
            return Problems.Forbidden("Only in-service party members claim posts and wishes.");
        }

        var result = await desk.ClaimAsync(caller.CommunityId, id, caller.PersonId, cancellationToken);
        return result.Succeeded
            ? Results.Created($"/api/in-service/claims/{result.Id}", new ClaimView(result.Id!.Value, ServiceClaimStatus.Claimed))
            : Refusal(result);
    }

    private static async Task<IResult> ClaimsToConfirmAsync(Caller caller, InServiceRecords records, CancellationToken cancellationToken) =>
        !InServiceAccess.IsOffice(caller)
            ? Problems.Forbidden("Claims are confirmed by the office.")
            : Results.Ok(await records.ClaimsToConfirmAsync(caller.CommunityId, cancellationToken));

    private static async Task<IResult> ConfirmAsync(Guid id, Body<ConfirmClaimRequest> body, Caller caller, ServiceDesk desk, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(caller))
        {
            return Problems.Forbidden("Claims are confirmed by the office.");
        }

        var request = body.Value;
        var result = await desk.ConfirmAsync(caller.PersonId, caller.CommunityId, id, request.Served!.Value, request.Minutes, InServiceDates.Parse(request.ServedOn), cancellationToken);
        return result.Succeeded
            ? Results.Ok(new ClaimView(id, request.Served.Value ? ServiceClaimStatus.Completed : ServiceClaimStatus.NotFulfilled))
            : ConfirmRefusal(result);
    }

    private static async Task<IResult> RosterAsync(
        [AsParameters] RosterQuery query, Caller caller, IValidator<RosterQuery> validator, InServiceRecords records, CancellationToken cancellationToken)
    {
        if (Scope(caller, query) is not { } scoped)
        {
            return Problems.Forbidden("The roster is kept by the office; a unit's liaison reads their own unit's members.");
        }

        var validation = await validator.ValidateAsync(scoped, cancellationToken);
        return validation.IsValid
            ? Results.Ok(await records.RosterAsync(caller.CommunityId, scoped.Unit, scoped.Category, scoped.ServedIn, cancellationToken))
            : Invalid(validation);
    }

    private static async Task<IResult> ExportAsync(
        [AsParameters] RosterQuery query, Caller caller, IValidator<RosterQuery> validator, InServiceRecords records, CancellationToken cancellationToken)
    {
        if (Scope(caller, query) is not { } scoped)
        {
            return Problems.Forbidden("The roster is kept by the office; a unit's liaison reads their own unit's members.");
        }

        var validation = await validator.ValidateAsync(scoped, cancellationToken);
        if (!validation.IsValid)
        {
            return Invalid(validation);
        }

        var rows = await records.RosterAsync(caller.CommunityId, scoped.Unit, scoped.Category, scoped.ServedIn, cancellationToken);
        var bytes = await Spreadsheet.XlsxAsync([RosterExport.Table(rows, new Texts(caller.Language))], cancellationToken);
        return Results.File(bytes, Spreadsheet.XlsxType, $"in-service-roster-{records.Today:yyyyMMdd}.xlsx");
    }

    /// <summary>The office reads any unit; a liaison is held to their own unit whatever they ask for; anyone else nothing.</summary>
    internal static RosterQuery? Scope(Caller caller, RosterQuery query) =>
        InServiceAccess.IsOffice(caller) ? query
        : caller.LiaisonOfUnit is { } unit ? query with { Unit = unit }
        : null;

    /// <summary>A confirmation the desk refused: a day in the future is the form's (400, next to the day), the rest as <see cref="Refusal"/>.</summary>
    internal static IResult ConfirmRefusal(DeskResult result) =>
        result.Outcome == DeskOutcome.PastDue ? Problems.Field("servedOn", result.Message) : Refusal(result);

    /// <summary>The answer to a refused claim or confirmation; the pages answer the same status (<see cref="CommandAnswer"/>).</summary>
    internal static IResult Refusal(DeskResult result) => result.Outcome switch
    {
        DeskOutcome.NotFound => Problems.NotFound(result.Message),
        DeskOutcome.NotRegistered => Problems.Forbidden(result.Message),
        DeskOutcome.Full => Problems.Conflict("full", result.Message),
        DeskOutcome.AlreadyClaimed => Problems.Conflict("already-claimed", result.Message),
        DeskOutcome.PastDue => Problems.Conflict("past-due", result.Message),
        _ => Problems.Conflict("not-open", result.Message),
    };

    private static IResult Invalid(ValidationResult validation) =>
        Problems.Validation(validation.Errors.GroupBy(e => Body<object>.JsonName(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
}
