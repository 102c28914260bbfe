using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// What an administrator does to an account. Deactivation refuses every further sign-in and ends every session and
/// token of the account at once, on every host: the account row is marked and its security stamp renewed, and each
/// session row is ended, both in the shared database that every request is checked against (docs/decisions/0075).
/// </summary>
internal sealed class AccountAdministration(
    UserManager<Account> users, AccountSessions sessions, SecurityEvents events, TimeProvider time, IDbContextFactory<WorkflowDbContext> contexts)
{
    public enum Outcome
    {
        Done,
        NoSuchAccount,
        Yourself,
        PersonDeactivated,
    }

    public async Task<Outcome> DeactivateAsync(Caller caller, string personId, string byAccountId, CancellationToken cancellationToken)
    {
        var account = await users.Users.FirstOrDefaultAsync(a => a.PersonId == personId, cancellationToken);
        if (account is null || !await IsTheirsAsync(caller, personId, cancellationToken))
        {
            return Outcome.NoSuchAccount;
        }

        if (account.Id == byAccountId)
        {
            return Outcome.Yourself;
        }

        account.DeactivatedAt ??= time.GetUtcNow();
        var updated = await users.UpdateSecurityStampAsync(account); // saves DeactivatedAt with the new stamp
        if (!updated.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", updated.Errors.Select(e => e.Description)));
        }

        var ended = await sessions.EndAllAsync(account.Id, "deactivated", except: null, cancellationToken);
        events.Deactivated(account.Id, byAccountId, ended);
        return Outcome.Done;
    }

    public async Task<Outcome> ReactivateAsync(Caller caller, string personId, string byAccountId, CancellationToken cancellationToken)
    {
        var account = await users.Users.FirstOrDefaultAsync(a => a.PersonId == personId, cancellationToken);
        if (account is null || !await IsTheirsAsync(caller, personId, cancellationToken))
        {
            return Outcome.NoSuchAccount;
        }

        // A person the directory deactivated keeps their history but signs in no more: the account follows the person.
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.People.AsNoTracking().AnyAsync(p => p.Id == personId && p.DeactivatedAt != null, cancellationToken))
            {
                return Outcome.PersonDeactivated;
            }
        }

        if (account.DeactivatedAt is not null)
        {
            account.DeactivatedAt = null;
            await users.UpdateAsync(account);
            events.Reactivated(account.Id, byAccountId);
        }

        return Outcome.Done;
    }

    /// <summary>The person is of a community whose accounts the caller administers (decision 108); otherwise it is a 404.</summary>
    private async Task<bool> IsTheirsAsync(Caller caller, string personId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var community = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => p.CommunityId).FirstOrDefaultAsync(cancellationToken);
        return community is not null && caller.AdministersAccountsIn(community);
    }

    /// <summary><c>POST /api/admin/accounts/{personId}/deactivate</c> and <c>…/reactivate</c>, administrators and community administrators, for people of a community they administer.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin/accounts/{personId}")
            .WithTags("Administration")
            .RequireAuthorization(Administrators.AccountsPolicy)
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest) // a cookie post without the antiforgery header
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapPost("/deactivate", async (string personId, Caller caller, AccountAdministration accounts, HttpContext http) =>
                Answer(await accounts.DeactivateAsync(caller, personId, ByWhom(http), http.RequestAborted)))
            .WithName("DeactivateAccount")
            .WithSummary("Deactivate a person's account: no more sign-ins, and every session and token of it ends at once (administrators, community administrators for their own community)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPost("/reactivate", async (string personId, Caller caller, AccountAdministration accounts, HttpContext http) =>
                Answer(await accounts.ReactivateAsync(caller, personId, ByWhom(http), http.RequestAborted)))
            .WithName("ReactivateAccount")
            .WithSummary("Let a deactivated account sign in again; its ended sessions stay ended (administrators, community administrators for their own community)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static string ByWhom(HttpContext http) => http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? SecurityEvents.UnknownAccount;

    private static IResult Answer(Outcome outcome) => outcome switch
    {
        Outcome.Done => Results.NoContent(),
        Outcome.NoSuchAccount => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No account for this person."),
        Outcome.PersonDeactivated => Results.Problem(statusCode: StatusCodes.Status409Conflict,
            title: "The person is deactivated in the directory, so their account cannot be reactivated.",
            extensions: new Dictionary<string, object?> { ["code"] = "personDeactivated" }),
        _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "An administrator cannot deactivate their own account.",
            extensions: new Dictionary<string, object?> { ["code"] = "ownAccount" }),
    };
}
