using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Features.Communities;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// A community's directory: units, people with their roles, committee terms. Whoever may read it (decision 108) sees
/// it; its administrator also gets the forms, which go through the same validators and store as the API.
/// </summary>
public sealed class DirectoryModel(
    DirectoryReader reader,
    DirectoryAdministration directory,
    IValidator<UnitRequest> unitRules,
    IValidator<PersonRequest> personRules,
    IValidator<InServiceTotalRequest> totalRules) : WebPageModel
{
    public DirectoryView View { get; private set; } = null!;

    public IReadOnlyList<CommunitySummary> Readable { get; private set; } = [];

    public bool MayAdminister { get; private set; }

    public string? Message { get; private set; }

    public bool Failed { get; private set; }

    public override string Title => T.Directory;

    public DateOnly Today => directory.Today;

    public async Task<IActionResult> OnGetAsync(string? community, string? message, bool failed, CancellationToken cancellationToken)
    {
        var id = community ?? Me.CommunityId;
        var access = Me.AccessTo(id);
        if (access == CommunityAccess.None)
        {
            return NotFound();
        }

        (Message, Failed, MayAdminister) = (message, failed, access == CommunityAccess.Administer);
        View = (await reader.ReadAsync(id, cancellationToken))!;
        Readable = await reader.SummariesAsync(Me.ReadableCommunities(), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAddUnitAsync(string community, UnitRequest unit, CancellationToken cancellationToken) =>
        await ChangeAsync(community, await unitRules.ValidateAsync(unit, cancellationToken), unit.Id is null
            ? null
            : () => directory.AddUnitAsync(Me.PersonId, community, unit.Id, unit.ToInput(), cancellationToken));

    /// <summary>The unit's total of in-service members (the registration rate's denominator), validated like the API's.</summary>
    public async Task<IActionResult> OnPostInServiceTotalAsync(string community, string unitId, int? total, CancellationToken cancellationToken) =>
        await ChangeAsync(community, await totalRules.ValidateAsync(new InServiceTotalRequest(total), cancellationToken),
            () => directory.SetInServiceMembersAsync(Me.PersonId, community, unitId, total, cancellationToken));

    public async Task<IActionResult> OnPostEndUnitAsync(string community, string unitId, DateOnly? on, CancellationToken cancellationToken) =>
        await ChangeAsync(community, null, on is null ? null : () => directory.EndUnitAsync(Me.PersonId, community, unitId, on.Value, cancellationToken));

    public async Task<IActionResult> OnPostAddPersonAsync(string community, PersonRequest person, string? role, DateOnly? from, CancellationToken cancellationToken) =>
        await ChangeAsync(community, await personRules.ValidateAsync(person, cancellationToken), person.Id is null
            ? null
            : async () =>
            {
                var added = await directory.AddPersonAsync(Me.PersonId, community, person.Id, person.ToInput(), cancellationToken);
                return added.Succeeded && !string.IsNullOrEmpty(role) && DirectoryRules.CommunityRoles.Contains(role)
                    ? await directory.GrantRoleAsync(Me.PersonId, community, person.Id, role, from ?? directory.Today, cancellationToken)
                    : added;
            });

    public async Task<IActionResult> OnPostGrantRoleAsync(string community, string personId, string role, DateOnly? from, CancellationToken cancellationToken) =>
        await ChangeAsync(community, null, DirectoryRules.CommunityRoles.Contains(role)
            ? () => directory.GrantRoleAsync(Me.PersonId, community, personId, role, from ?? directory.Today, cancellationToken)
            : null);

    public async Task<IActionResult> OnPostEndRoleAsync(string community, string personId, string role, DateOnly? on, CancellationToken cancellationToken) =>
        await ChangeAsync(community, null, () => directory.EndRoleAsync(Me.PersonId, community, personId, role, on ?? directory.Today, cancellationToken));

    public async Task<IActionResult> OnPostDeactivateAsync(string community, string personId, CancellationToken cancellationToken) =>
        await ChangeAsync(community, null, () => directory.DeactivatePersonAsync(Me.PersonId, community, personId, cancellationToken));

    /// <summary>Tenancy first (404 / 403 as in the API), then the validator's messages, then the store's answer; back to the page with it.</summary>
    private async Task<IActionResult> ChangeAsync(string community, FluentValidation.Results.ValidationResult? validation, Func<Task<DirectoryResult>>? change)
    {
        switch (Me.AccessTo(community))
        {
            case CommunityAccess.None:
                return NotFound();
            case CommunityAccess.Read:
                return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (validation is { IsValid: false })
        {
            return Back(community, string.Join(" ", validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")), failed: true);
        }

        if (change is null)
        {
            return Back(community, T.En ? "Required fields are missing." : "缺少必填项。", failed: true);
        }

        var result = await change();
        return result.Succeeded
            ? Back(community, T.DirectorySaved, failed: false)
            : Back(community, result.Field is null ? result.Message! : $"{result.Field}: {result.Message}", failed: true);
    }

    private RedirectResult Back(string community, string message, bool failed) =>
        Redirect($"/admin/directory?community={Uri.EscapeDataString(community)}&message={Uri.EscapeDataString(message)}{(failed ? "&failed=true" : "")}");

    public string PersonName(string personId) =>
        View.People.FirstOrDefault(p => p.Id == personId) is { } person ? (T.En ? person.NameEn : person.NameZh) : personId;

    public string UnitName(string? unitId) =>
        unitId is null ? T.NoUnit : View.Units.FirstOrDefault(u => u.Id == unitId) is { } unit ? (T.En ? unit.NameEn : unit.NameZh) : unitId;
}
