using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Time;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// The ledger (台账) for the secretary, the office and the street committee: the API's <see cref="LedgerReader"/> and
/// filter validator, so the page lists and refuses exactly what <c>GET /api/ledger</c> does; the export links go to the API.
/// </summary>
public sealed class LedgerModel(LedgerReader reader, IValidator<LedgerQuery> validator, DefinitionCatalog catalog, IWorkingCalendar calendar,
    IDbContextFactory<WorkflowDbContext> contexts) : WebPageModel
{
    public LedgerQuery Query { get; private set; } = LedgerQuery.Empty;

    public LedgerPage? Cases { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public IReadOnlyList<(string Id, string Name)> Processes { get; private set; } = [];

    public IReadOnlyList<(string Id, string Name)> UnitOptions { get; private set; } = [];

    public bool ManyCommunities => Me.OverseenCommunities.Count > 1;

    public override string Title => T.Ledger;

    public int Pages => Cases is null ? 0 : Math.Max(1, (Cases.Total + Cases.PageSize - 1) / Cases.PageSize);

    public string PageLink(int page) => "/ledger?" + (Query with { Page = page.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToQueryString(withPaging: true);

    public string ExportLink(string format) => $"/api/ledger/export?format={format}&" + Query.ToQueryString();

    /// <summary>Filters the form has no field for (kind, member, step: set by the dashboard's links), kept as hidden fields.</summary>
    public IEnumerable<(string Name, string Value)> HiddenFilters =>
        new[] { ("kind", Query.Kind), ("member", Query.Member), ("step", Query.Step) }.Where(f => f.Item2 is not null).Select(f => (f.Item1, f.Item2!));

    public async Task<IActionResult> OnGetAsync(
        string? process, string? state, string? unit, string? year, string? month, string? overdue, string? kind, string? member, string? step,
        string? q, string? pageSize, CancellationToken cancellationToken)
    {
        if (!LedgerReader.MayRead(Me))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Query = new LedgerQuery(Blank(process), Blank(state), Blank(unit), Blank(year), Blank(month), Blank(overdue), Blank(kind), Blank(member), Blank(step), Blank(q), Blank(Request.Query["page"]), Blank(pageSize));
        Processes = [.. catalog.Published.Select(d => (d.Id, d.Name?.For(T.Language) ?? d.Id))];
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var communities = Me.OverseenCommunities.Append(Me.CommunityId).Distinct().ToList();
            var english = LocalizedText.IsEnglish(Me.Language);
            UnitOptions = [.. (await db.Units.AsNoTracking().Where(u => communities.Contains(u.CommunityId)).OrderBy(u => u.CommunityId).ThenBy(u => u.Id)
                .Select(u => new { u.Id, Name = english ? u.NameEn : u.NameZh }).ToListAsync(cancellationToken)).Select(u => (u.Id, u.Name))];
        }

        var validation = await validator.ValidateAsync(Query, cancellationToken);
        if (!validation.IsValid)
        {
            // The same messages as the API's 400, shown above the form; the list is not read.
            Errors = [.. validation.Errors.Select(e => e.ErrorMessage).Distinct()];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Cases = await reader.PageAsync(Me, Query.ToFilter(calendar, Now), cancellationToken);
        return Page();
    }

    /// <summary>An empty field of the GET form means "any", not an invalid value. ("page" is read from the query itself:
    /// as a handler argument Razor Pages would bind its own route value, the page's name.)</summary>
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
