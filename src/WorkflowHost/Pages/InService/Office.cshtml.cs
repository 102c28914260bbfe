using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Features.InService;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>
/// The office's page: claims to confirm with the hours served, publishing posts and wishes, and the roster with filters and
/// its export. Registrations to confirm are tasks in the inbox (the registration process), linked from here. A refused form
/// comes back with what was typed and each error next to its field, a line at the top saying so, like the other forms.
/// </summary>
public sealed class OfficeModel(
    InServiceRecords records, ServiceDesk desk, IValidator<PublishOfferRequest> publishRules, IValidator<ConfirmClaimRequest> confirmRules,
    IValidator<RosterQuery> rosterRules) : WebPageModel
{
    public IReadOnlyList<ClaimToConfirm> Claims { get; private set; } = [];

    public IReadOnlyList<RosterRow> Roster { get; private set; } = [];

    public IReadOnlyList<OfferRow> Offers { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    /// <summary>yyyy-MM: members who served in that month (the dashboard's hours per month link here).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    public string? Notice { get; private set; }

    /// <summary>The line at the top of a refused form: fix the fields marked, or a refusal that belongs to no field.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Error texts by form field: the publication's <c>kind</c>, <c>category</c>, <c>title</c>, <c>description</c>,
    /// <c>places</c>, <c>dueOn</c>; a confirmation's <c>{claim}.hours</c> and <c>{claim}.servedOn</c> (one form per claim).
    /// </summary>
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>What the reader typed in the refused form, shown again: <c>kind</c>, <c>title</c>… or <c>{claim}.hours</c>.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public string? ErrorFor(string field) => FieldErrors.GetValueOrDefault(field);

    public string? ValueOf(string field) => Values.GetValueOrDefault(field);

    public static string ClaimField(Guid claim, string field) => $"{claim}.{field}";

    /// <summary>The roster filters refused (unit, category, month) with the value the reader gave, shown next to their boxes.</summary>
    public IReadOnlyDictionary<string, string> RefusedFilters { get; private set; } = new Dictionary<string, string>();

    public string? RefusedFilter(string field) => RefusedFilters.TryGetValue(field, out var value) ? T.RosterFilterNotApplied(value) : null;

    public override string Title => T.InServiceOffice;

    public string ExportLink => $"/api/in-service/roster/export?unit={Uri.EscapeDataString(Unit ?? "")}&category={Uri.EscapeDataString(Category ?? "")}{(string.IsNullOrEmpty(Month) ? "" : $"&month={Uri.EscapeDataString(Month)}")}";

    public async Task<IActionResult> OnGetAsync(bool done, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        Notice = done ? T.ClaimConfirmed : null;
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostPublishAsync(string? kind, string? category, string? title, string? description, int? places, string? dueOn)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        FiltersFromAddress();
        Values["kind"] = kind ?? "";
        Values["category"] = category ?? "";
        Values["title"] = title ?? "";
        Values["description"] = description ?? "";
        Values["places"] = Request.Form["places"].ToString();
        Values["dueOn"] = dueOn ?? "";
        var request = new PublishOfferRequest(kind, string.IsNullOrEmpty(category) ? null : category, title, description, places, dueOn);
        var validation = await publishRules.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            foreach (var failure in validation.Errors)
            {
                // The field names the API gives the same errors.
                FieldErrors.TryAdd(Body<PublishOfferRequest>.JsonName(failure.PropertyName), PublishError(failure));
            }

            return await RefusedAsync(T.FixErrors, cancellationToken);
        }

        var result = await desk.PublishAsync(Me.PersonId, Me.CommunityId, request.ToInput(), cancellationToken);
        if (result.Succeeded)
        {
            return Redirect("/in-service/office?done=true");
        }

        // The API answers the desk's refusal as a 400 on dueOn (a date to fulfil by in the past).
        FieldErrors["dueOn"] = T.OfferDueNotPast;
        return await RefusedAsync(T.FixErrors, cancellationToken);
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid claim, bool served, decimal? hours, string? servedOn)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        FiltersFromAddress();
        Values[ClaimField(claim, "hours")] = Request.Form["hours"].ToString();
        Values[ClaimField(claim, "servedOn")] = servedOn ?? "";
        var request = new ConfirmClaimRequest(served, served ? hours : null, served ? servedOn : null);
        var validation = await confirmRules.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            foreach (var failure in validation.Errors)
            {
                FieldErrors.TryAdd(ClaimField(claim, Body<ConfirmClaimRequest>.JsonName(failure.PropertyName)), failure.PropertyName == nameof(ConfirmClaimRequest.Hours) ? T.ServedHoursRange : T.DateRequired);
            }

            return await RefusedAsync(T.FixErrors, cancellationToken);
        }

        var result = await desk.ConfirmAsync(Me.PersonId, Me.CommunityId, claim, served, request.Minutes, InServiceDates.Parse(request.ServedOn), cancellationToken);
        if (result.Outcome == DeskOutcome.NotFound)
        {
            return NotFound();
        }

        if (result.Succeeded)
        {
            return Redirect("/in-service/office?done=true");
        }

        // The API's answer decides the status and whether the refusal belongs to a field (servedOn in the future, 400)
        // or to the claim as a whole (already confirmed, 409).
        var answer = CommandAnswer.From(InServiceEndpoints.ConfirmRefusal(result));
        if (answer.Errors.ContainsKey("servedOn"))
        {
            FieldErrors[ClaimField(claim, "servedOn")] = T.ServedOnNotFuture;
            return await RefusedAsync(T.FixErrors, cancellationToken, answer.Status);
        }

        return await RefusedAsync(T.ClaimNotOpen, cancellationToken, answer.Status);
    }

    /// <summary>The field's own words for a publication the validator refused (its English messages are the API's).</summary>
    private string PublishError(ValidationFailure failure) => failure.PropertyName switch
    {
        nameof(PublishOfferRequest.Kind) => T.OfferKindInvalid,
        nameof(PublishOfferRequest.Category) => failure.ErrorCode switch
        {
            "NotEmptyValidator" => T.OfferCategoryNeeded,
            "NullValidator" => T.WishHasNoCategory,
            _ => T.OfferCategoryInvalid,
        },
        nameof(PublishOfferRequest.Title) => failure.ErrorCode switch
        {
            "NotEmptyValidator" => T.FieldRequired,
            "MaximumLengthValidator" => T.TooLong(100),
            _ => T.OfferTitleOneLine,
        },
        nameof(PublishOfferRequest.Description) => T.TooLong(1000),
        nameof(PublishOfferRequest.Places) => T.OfferPlacesRange,
        _ => T.DateRequired,
    };

    /// <summary>
    /// The roster's filters are read from the address, never from a posted form: the publication has a box named
    /// <c>category</c> too, and a refused post must not come back with the roster filtered by its category.
    /// </summary>
    private void FiltersFromAddress() =>
        (Unit, Category, Month) = (Request.Query["unit"].ToString(), Request.Query["category"].ToString(), Request.Query["month"].ToString());

    /// <summary>
    /// The page again with the errors, answering the API's status for the same refusal: 400 for a form the validator or the
    /// desk refuses as input (a publication's date), the confirmation's own status otherwise (409 already confirmed).
    /// </summary>
    private async Task<IActionResult> RefusedAsync(string error, CancellationToken cancellationToken, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        await ShowAsync(cancellationToken);
        return RefusedPage(status);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var filters = new RosterQuery(string.IsNullOrEmpty(Unit) ? null : Unit, string.IsNullOrEmpty(Category) ? null : Category, string.IsNullOrEmpty(Month) ? null : Month);
        var validation = await rosterRules.ValidateAsync(filters, cancellationToken);
        if (!validation.IsValid)
        {
            // None of the filters is applied, so every box is emptied to say so (a unit left in its box would claim a
            // filter the list does not have); what was refused is named next to its box, and the answer is a 400 like
            // the ledger's refused filters.
            var given = new Dictionary<string, string?> { ["unit"] = Unit, ["category"] = Category, ["month"] = Month };
            RefusedFilters = validation.Errors.Select(e => e.PropertyName.ToLowerInvariant()).Distinct()
                .ToDictionary(field => field, field => given.GetValueOrDefault(field) ?? "");
            filters = new RosterQuery(null, null);
            (Unit, Category, Month) = (null, null, null);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Claims = await records.ClaimsToConfirmAsync(Me.CommunityId, cancellationToken);
        Offers = await records.OpenOffersAsync(Me.CommunityId, cancellationToken);
        Roster = await records.RosterAsync(Me.CommunityId, filters.Unit, filters.Category, filters.ServedIn, cancellationToken);
        return Page();
    }
}
