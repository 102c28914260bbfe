using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.InService;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>
/// The office's page: claims to confirm with the hours served, publishing posts and wishes, and the roster with filters and
/// its export. Registrations to confirm are tasks in the inbox (the registration process), linked from here.
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

    public IReadOnlyList<string> Errors { get; private set; } = [];

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

        var request = new PublishOfferRequest(kind, string.IsNullOrEmpty(category) ? null : category, title, description, places, dueOn);
        var validation = await publishRules.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return await RefusedAsync([.. validation.Errors.Select(e => e.ErrorMessage)], cancellationToken);
        }

        var result = await desk.PublishAsync(Me.PersonId, Me.CommunityId, request.ToInput(), cancellationToken);
        return result.Succeeded ? Redirect("/in-service/office?done=true") : await RefusedAsync([result.Message], cancellationToken);
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid claim, bool served, decimal? hours, string? servedOn)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        var request = new ConfirmClaimRequest(served, served ? hours : null, served ? servedOn : null);
        var validation = await confirmRules.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return await RefusedAsync([.. validation.Errors.Select(e => e.ErrorMessage)], cancellationToken);
        }

        var result = await desk.ConfirmAsync(Me.PersonId, Me.CommunityId, claim, served, request.Minutes, InServiceDates.Parse(request.ServedOn), cancellationToken);
        if (result.Outcome == DeskOutcome.NotFound)
        {
            return NotFound();
        }

        return result.Succeeded
            ? Redirect("/in-service/office?done=true")
            : await RefusedAsync([result.Message], cancellationToken, CommandAnswer.From(InServiceEndpoints.ConfirmRefusal(result)).Status);
    }

    /// <summary>
    /// The page again with the errors, answering the API's status for the same refusal: 400 for a form the validator or the
    /// desk refuses as input (a publication's date), the confirmation's own status otherwise (409 already confirmed).
    /// </summary>
    private async Task<IActionResult> RefusedAsync(IReadOnlyList<string> errors, CancellationToken cancellationToken, int status = StatusCodes.Status400BadRequest)
    {
        Errors = errors;
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
