using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

public sealed record SetPasswordThroughLinkRequest(string? Password);

/// <summary>A link just issued: until when, whether it was e-mailed, and (Development only) the link itself.</summary>
public sealed record AccountLinkIssued(string PersonId, string Purpose, DateTimeOffset ExpiresAt, bool Emailed, string? Link);

/// <summary>What an opened link is for (no token, no account id): the person's name and when it ends.</summary>
public sealed record AccountLinkInfo(string Purpose, string PersonId, string PersonName, DateTimeOffset ExpiresAt);

/// <summary>One person's account as the administrators' list shows it.</summary>
public sealed record AccountSummary(
    string PersonId, string Name, string? Email, IReadOnlyList<string> Roles, bool Deactivated, bool LockedOut,
    bool TwoFactorEnabled, bool TwoFactorRequired, string? OpenLinkPurpose, DateTimeOffset? OpenLinkExpiresAt, bool HasAccount = true);

internal sealed class SetPasswordThroughLinkRequestValidator : AbstractValidator<SetPasswordThroughLinkRequest>
{
    public SetPasswordThroughLinkRequestValidator() => RuleFor(r => r.Password).NotEmpty().MaximumLength(256);
}

/// <summary>
/// Invitation and reset links over HTTP (docs/api.md, "Invitations and resets"). Administrators issue them for people of
/// their own community; the person opens and uses one without signing in. Answers: 404 no such link, 409 already used
/// or the account deactivated, 410 expired or replaced by a newer link, 400 a password the rules refuse (the link stays
/// good).
/// </summary>
internal static class AccountLinkEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin/accounts")
            .WithTags("Administration")
            .RequireAuthorization(Administrators.AccountsPolicy)
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapGet("", ListAsync)
            .WithName("ListAccounts")
            .WithSummary("The accounts of the administrator's community: state, two-factor, the open link (administrators only)")
            .Produces<IReadOnlyList<AccountSummary>>();

        foreach (var purpose in new[] { AccountLink.InvitationPurpose, AccountLink.ResetPurpose })
        {
            admin.MapPost("/{personId}/" + purpose, (string personId, Caller caller, AccountLinks links, LinkDelivery delivery, IDbContextFactory<WorkflowDbContext> contexts, HttpContext http) =>
                    IssueAsync(personId, purpose, caller, links, delivery, contexts, http))
                .WithName(purpose == AccountLink.InvitationPurpose ? "InviteAccount" : "ResetAccountPassword")
                .WithSummary(purpose == AccountLink.InvitationPurpose
                    ? "Invite a person: a one-time link to set their password, e-mailed to them (administrators only)"
                    : "Send a person a one-time link to set a new password; using it ends their other sessions (administrators only)")
                .WithDescription("Supersedes any earlier link of the account. The link is shown in the answer in Development only; elsewhere it is e-mailed, and with no SMTP server or no e-mail address the answer is 409 cannotDeliver.")
                .Produces<AccountLinkIssued>(StatusCodes.Status201Created)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status502BadGateway);

            var open = endpoints.MapGroup("/api/account/" + purpose).WithTags("Account").AllowAnonymous();
            open.MapGet("/{token}", async (string token, AccountLinks links, HttpContext http) =>
                {
                    var view = await links.ReadAsync(purpose, token, http.RequestAborted);
                    return view.State == LinkState.Valid
                        ? Results.Ok(new AccountLinkInfo(purpose, view.PersonId!, view.PersonName!, view.ExpiresAt!.Value))
                        : Refused(view.State);
                })
                .RequireRateLimiting(AccountsRegistration.PublicRateLimit)
                .WithName(purpose == AccountLink.InvitationPurpose ? "ReadInvitation" : "ReadPasswordReset")
                .WithSummary($"Whom a {purpose} link is for, and until when")
                .Produces<AccountLinkInfo>()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status410Gone);

            open.MapPost("/{token}", (string token, Body<SetPasswordThroughLinkRequest> body, AccountLinks links, SecurityEvents events, HttpContext http) =>
                    UseAsync(purpose, token, body.Value.Password!, links, events, http))
                .RequireRateLimiting(AccountsRegistration.SignInRateLimit)
                .Accepts<SetPasswordThroughLinkRequest>("application/json")
                .AddEndpointFilter<ValidationFilter>()
                .WithName(purpose == AccountLink.InvitationPurpose ? "AcceptInvitation" : "CompletePasswordReset")
                .WithSummary($"Set the password through a {purpose} link; then sign in with it")
                .Produces(StatusCodes.Status204NoContent)
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status410Gone);
        }
    }

    /// <summary>Issues the link and hands it over; one the mail server refused is withdrawn at once.</summary>
    public static async Task<IResult> IssueAsync(string personId, string purpose, Caller caller, AccountLinks links, LinkDelivery delivery,
        IDbContextFactory<WorkflowDbContext> contexts, HttpContext http)
    {
        await using (var db = await contexts.CreateDbContextAsync(http.RequestAborted))
        {
            var person = await db.People.AsNoTracking().Where(p => p.Id == personId)
                .Select(p => new { p.Email, p.CommunityId }).FirstOrDefaultAsync(http.RequestAborted);
            if (person is null || !caller.AdministersAccountsIn(person.CommunityId))
            {
                return NoAccount();
            }

            if (!delivery.CanDeliver(person.Email))
            {
                return Problems.Conflict("cannotDeliver",
                    "The link can only be e-mailed outside Development: configure Smtp (docs/operations.md) and give the person an e-mail address in the directory.");
            }
        }

        var (outcome, link) = await links.IssueAsync(personId, purpose, http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? SecurityEvents.UnknownAccount, http.RequestAborted);
        switch (outcome)
        {
            case AccountLinks.IssueOutcome.NoSuchAccount:
                return NoAccount();
            case AccountLinks.IssueOutcome.Deactivated:
                return Problems.Conflict("accountDeactivated", "The account is deactivated; reactivate it first.");
        }

        LinkHandover handover;
        try
        {
            handover = await delivery.HandOverAsync(link!, purpose, LinkDelivery.Url(http.Request, purpose, link!.Token), http.RequestAborted);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or MailKit.ProtocolException or MailKit.CommandException)
        {
            await links.WithdrawAsync(link!.Id, CancellationToken.None);
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The e-mail could not be sent.",
                detail: "The mail server refused or could not be reached; the link was withdrawn. Try again once the mail server works.",
                extensions: new Dictionary<string, object?> { ["code"] = "emailFailed" });
        }

        return Results.Json(new AccountLinkIssued(personId, purpose, link!.ExpiresAt, handover.Emailed, handover.ShownLink), statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> ListAsync(Caller caller, IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        return Results.Ok(await ListForAsync(caller.CommunityId, contexts, time, cancellationToken));
    }

    public static async Task<IReadOnlyList<AccountSummary>> ListForAsync(string communityId, IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var people = await db.People.AsNoTracking().Include(p => p.Roles).Where(p => p.CommunityId == communityId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var personIds = people.Select(p => p.Id).ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => personIds.Contains(a.PersonId))
            .ToDictionaryAsync(a => a.PersonId, StringComparer.Ordinal, cancellationToken);
        var rows = people.Select(p => new { Person = p, Account = accounts.GetValueOrDefault(p.Id) }).ToList();
        var accountIds = accounts.Values.Select(a => a.Id).ToList();
        var openLinks = (await db.AccountLinks.AsNoTracking()
                .Where(l => accountIds.Contains(l.AccountId) && l.UsedAt == null && l.SupersededAt == null)
                .Select(l => new { l.AccountId, l.Purpose, l.ExpiresAt })
                .ToListAsync(cancellationToken))
            .Where(l => l.ExpiresAt > now)
            .ToDictionary(l => l.AccountId);
        return
        [
            .. rows.Select(r =>
            {
                var roles = r.Person.Roles.Select(x => x.Role).Order(StringComparer.Ordinal).ToList();
                var link = r.Account is null ? null : openLinks.GetValueOrDefault(r.Account.Id);
                return new AccountSummary(r.Person.Id, r.Person.NameZh, r.Person.Email, roles, r.Account?.DeactivatedAt is not null || r.Person.DeactivatedAt is not null,
                    r.Account?.LockoutEnd is { } end && end > now, r.Account?.TwoFactorEnabled == true, TwoFactorRoles.RequiredFor(roles), link?.Purpose, link?.ExpiresAt,
                    HasAccount: r.Account is not null);
            }),
        ];
    }

    private static async Task<IResult> UseAsync(string purpose, string token, string password, AccountLinks links, SecurityEvents events, HttpContext http)
    {
        var (state, result, _) = await links.UseAsync(purpose, token, password, http.RequestAborted);
        if (state != LinkState.Valid)
        {
            events.LinkRefused(purpose, state);
            return Refused(state);
        }

        return result!.Succeeded
            ? Results.NoContent()
            : Problems.Validation(new Dictionary<string, string[]> { ["password"] = [.. result.Errors.Select(e => e.Description)] });
    }

    public static IResult Refused(LinkState state) => state switch
    {
        LinkState.Used => Problems.Conflict("linkUsed", "This link was already used; it works only once. Ask an administrator for a new one."),
        LinkState.Deactivated => Problems.Conflict("accountDeactivated", "The account is deactivated."),
        LinkState.Expired => Gone("linkExpired", "This link has expired. Ask an administrator for a new one."),
        LinkState.Superseded => Gone("linkSuperseded", "A newer link was sent for this account; use that one."),
        _ => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such link.", detail: "Check that the whole link was copied.",
            extensions: new Dictionary<string, object?> { ["code"] = "linkUnknown" }),
    };

    private static IResult Gone(string code, string detail) => Results.Problem(statusCode: StatusCodes.Status410Gone, title: "The link no longer works.", detail: detail,
        extensions: new Dictionary<string, object?> { ["code"] = code });

    private static IResult NoAccount() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No account for this person in your community.",
        extensions: new Dictionary<string, object?> { ["code"] = "notFound" });
}
