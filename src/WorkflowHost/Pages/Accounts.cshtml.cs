using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// For administrators: the accounts of their community, with invite, reset, deactivate and reactivate. Each button does
/// exactly what its API endpoint does (<see cref="AccountLinkEndpoints"/>, <see cref="AccountAdministration"/>). A new
/// link is shown on the answer page itself in Development (never put into a redirect's URL, where it would be logged).
/// </summary>
public sealed class AccountsModel(IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time) : WebPageModel
{
    public IReadOnlyList<AccountSummary> Accounts { get; private set; } = [];

    public string? Message { get; private set; }

    public bool Failed { get; private set; }

    public string? ShownLink { get; private set; }

    public override string Title => T.AccountsTitle;

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken cancellationToken)
    {
        if (!Me.AdministersAccountsIn(Me.CommunityId))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Message = done switch
        {
            "deactivated" => T.AccountDeactivatedDone,
            "reactivated" => T.AccountReactivatedDone,
            "yourself" => T.CannotDeactivateYourself,
            "person-deactivated" => T.PersonDeactivatedInDirectory,
            _ => null,
        };
        Failed = done is "yourself" or "person-deactivated";
        return await ShowAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostInviteAsync(string personId, CancellationToken cancellationToken) => IssueAsync(personId, AccountLink.InvitationPurpose, cancellationToken);

    public Task<IActionResult> OnPostResetAsync(string personId, CancellationToken cancellationToken) => IssueAsync(personId, AccountLink.ResetPurpose, cancellationToken);

    public async Task<IActionResult> OnPostDeactivateAsync(string personId, CancellationToken cancellationToken)
    {
        if (!Me.AdministersAccountsIn(Me.CommunityId))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var outcome = await HttpContext.RequestServices.GetRequiredService<AccountAdministration>().DeactivateAsync(Me, personId, ByWhom, cancellationToken);
        return outcome == AccountAdministration.Outcome.NoSuchAccount
            ? NotFound()
            : Redirect("/admin/accounts?done=" + (outcome == AccountAdministration.Outcome.Yourself ? "yourself" : "deactivated"));
    }

    public async Task<IActionResult> OnPostReactivateAsync(string personId, CancellationToken cancellationToken)
    {
        if (!Me.AdministersAccountsIn(Me.CommunityId))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var outcome = await HttpContext.RequestServices.GetRequiredService<AccountAdministration>().ReactivateAsync(Me, personId, ByWhom, cancellationToken);
        return outcome == AccountAdministration.Outcome.NoSuchAccount
            ? NotFound()
            : Redirect("/admin/accounts?done=" + (outcome == AccountAdministration.Outcome.PersonDeactivated ? "person-deactivated" : "reactivated"));
    }

    public string LinkUntil(DateTimeOffset? at) => at is { } value ? Time(value) : "";

    private string ByWhom => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? SecurityEvents.UnknownAccount;

    private async Task<IActionResult> IssueAsync(string personId, string purpose, CancellationToken cancellationToken)
    {
        if (!Me.AdministersAccountsIn(Me.CommunityId))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var services = HttpContext.RequestServices;
        var answer = await AccountLinkEndpoints.IssueAsync(personId, purpose, Me, services.GetRequiredService<AccountLinks>(), services.GetRequiredService<LinkDelivery>(), contexts, HttpContext);
        if (answer is IValueHttpResult { Value: AccountLinkIssued issued })
        {
            var name = (await AccountLinkEndpoints.ListForAsync(Me.CommunityId, contexts, time, cancellationToken)).FirstOrDefault(a => a.PersonId == personId)?.Name ?? personId;
            Message = issued.Emailed ? T.LinkEmailed(name) : null;
            ShownLink = issued.Link;
        }
        else
        {
            Failed = true;
            Message = CommandAnswer.From(answer).Code switch
            {
                "cannotDeliver" => T.LinkCannotDeliver,
                "emailFailed" => T.LinkMailFailed,
                "accountDeactivated" => T.LinkAccountDeactivated,
                _ => T.LinkUnknown,
            };
        }

        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Accounts = await AccountLinkEndpoints.ListForAsync(Me.CommunityId, contexts, time, cancellationToken);
        return Page();
    }
}
