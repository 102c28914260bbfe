using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkflowHost.Api;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

public sealed record TokenRequest(string? UserName, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Who is signed in: the person, their roles, unit and community.</summary>
public sealed record CallerInfo(string PersonId, string Name, string CommunityId, string? UnitId, IReadOnlyList<string> Roles, IReadOnlyList<string> OverseenCommunities, string Language);

public sealed record AntiforgeryToken(string HeaderName, string Token);

internal sealed class TokenRequestValidator : AbstractValidator<TokenRequest>
{
    public TokenRequestValidator()
    {
        RuleFor(r => r.UserName).NotEmpty().MaximumLength(256);
        RuleFor(r => r.Password).NotEmpty().MaximumLength(256);
    }
}

internal sealed class RefreshRequestValidator : AbstractValidator<RefreshRequest>
{
    public RefreshRequestValidator() => RuleFor(r => r.RefreshToken).NotEmpty().MaximumLength(8192);
}

internal sealed class ChangePasswordRequestValidator : AbstractValidator<ChangePasswordRequest>
{
    public ChangePasswordRequestValidator()
    {
        RuleFor(r => r.CurrentPassword).NotEmpty().MaximumLength(256);
        RuleFor(r => r.NewPassword).NotEmpty().MaximumLength(256);
    }
}

/// <summary>The API's sign-in: a bearer token for a user name (the person id, or the e-mail) and password.</summary>
internal static class SignInEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/api/account").WithTags("Account");

        account.MapPost("/token", IssueTokenAsync)
            .AllowAnonymous()
            .RequireRateLimiting(AccountsRegistration.SignInRateLimit)
            .Accepts<TokenRequest>("application/json")
            .AddEndpointFilter<ValidationFilter>()
            .WithSummary("Sign in and get a bearer token")
            .WithDescription("User name is the person id (e.g. p-liaison-gao) or the e-mail. Repeated failures lock the account; sign-in attempts are rate limited per address. "
                + "With two-factor sign-in the right password answers 401 with code twoFactorRequired and a twoFactorToken for POST /api/account/token/two-factor; "
                + "outside Development a role that requires two factors without an enrolled authenticator answers 403 twoFactorEnrolmentRequired with a token for POST /api/account/two-factor/enrolment.")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        account.MapPost("/refresh", RefreshAsync)
            .AllowAnonymous()
            .RequireRateLimiting(AccountsRegistration.SignInRateLimit)
            .Accepts<RefreshRequest>("application/json")
            .AddEndpointFilter<ValidationFilter>()
            .WithSummary("Exchange a refresh token for a new bearer token")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        var signedIn = account.MapGroup("").RequireAuthorization(AccountsRegistration.SignedIn).AddEndpointFilter<CookieAntiforgeryFilter>();

        signedIn.MapGet("/me", (Caller caller) => TypedResults.Ok(new CallerInfo(caller.PersonId, caller.Name, caller.CommunityId, caller.UnitId,
                [.. caller.Roles.Order(StringComparer.Ordinal)], caller.OverseenCommunities, caller.Language)))
            .WithSummary("Who am I")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        signedIn.MapGet("/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(context);
                return TypedResults.Ok(new AntiforgeryToken(AccountsRegistration.AntiforgeryHeader, tokens.RequestToken!));
            })
            .WithSummary("The antiforgery token a cookie-signed-in page sends with every POST")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        signedIn.MapPost("/password", ChangePasswordAsync)
            .Accepts<ChangePasswordRequest>("application/json")
            .AddEndpointFilter<ValidationFilter>()
            .WithSummary("Change my password")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        signedIn.MapPost("/logout", LogoutAsync)
            .WithName("SignOut")
            .WithSummary("Sign out: ends this session (a bearer session with its access and refresh tokens)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> IssueTokenAsync(Body<TokenRequest> body, PasswordSignIn signIn, TwoFactorGate gate, PendingSignIn pending, HttpContext http)
    {
        var (account, problem) = await signIn.CheckAsync(body.Value.UserName!, body.Value.Password!);
        if (problem is not null)
        {
            return problem;
        }

        // A right password is only the first step for an enrolled account or (outside Development) a role that needs two factors.
        if (await gate.NextStepAsync(account!, http.RequestAborted) is { } step)
        {
            return TwoFactorEndpoints.SecondStepNeeded(step, pending.Issue(account!, step), pending.Lifetime);
        }

        return await signIn.BearerSignInAsync(account!, http.RequestAborted);
    }

    /// <summary>
    /// Each refresh token is good once (docs/decisions/0075): the new token pair carries the same session and a new
    /// refresh-token id. A second use of any earlier token of the chain ends the whole chain. The chain itself ends
    /// <c>Accounts:RefreshChainDays</c> after the sign-in that started it.
    /// </summary>
    private static async Task<IResult> RefreshAsync(
        Body<RefreshRequest> body,
        IOptionsMonitor<BearerTokenOptions> bearerOptions,
        AccountSessions sessions,
        UserManager<Account> users,
        PasswordSignIn signIn,
        TimeProvider time,
        HttpContext http)
    {
        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(body.Value.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires)
        {
            return InvalidRefreshToken();
        }

        var (state, accountId, next) = await sessions.RotateRefreshTokenAsync(ticket.Principal, http.RequestAborted);
        if (state != SessionState.Active || await users.FindByIdAsync(accountId!) is not { } account)
        {
            return InvalidRefreshToken();
        }

        return await signIn.BearerTokensAsync(account, SessionClaims.SessionOf(ticket.Principal)!.Value, next, http.RequestAborted);
    }

    private static IResult InvalidRefreshToken() => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The refresh token is not valid.",
        detail: "It is unknown, expired, already used, or its session has ended; sign in again.");

    private static async Task<IResult> ChangePasswordAsync(Body<ChangePasswordRequest> body, Caller caller, UserManager<Account> users,
        AccountSessions sessions, SecurityEvents events, HttpContext http)
    {
        var account = users.Users.First(a => a.PersonId == caller.PersonId);
        var result = await users.ChangePasswordAsync(account, body.Value.CurrentPassword!, body.Value.NewPassword!);
        if (result.Succeeded)
        {
            // The new security stamp ends every session; this one is carried over, every other one is ended for good.
            var current = SessionClaims.SessionOf(http.User);
            if (current is { } session)
            {
                await sessions.KeepAcrossStampChangeAsync(session, account.SecurityStamp!, CancellationToken.None);
            }

            var ended = await sessions.EndAllAsync(account.Id, "password-changed", current, CancellationToken.None);
            events.PasswordChanged(account.Id, ended);
            return Results.NoContent();
        }

        var field = result.Errors.Any(e => e.Code == "PasswordMismatch") ? "currentPassword" : "newPassword";
        return Problems.Validation(new Dictionary<string, string[]> { [field] = [.. result.Errors.Select(e => e.Description)] });
    }

    /// <summary>Ends the caller's own session: a cookie session, or a bearer session with its access and refresh tokens.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, AccountSessions sessions, SecurityEvents events)
    {
        await Logout.EndAsync(http, sessions, events);
        return Results.NoContent();
    }
}

/// <summary>Ends the session of the request, wherever it came from (the API, the sign-in page's form).</summary>
internal static class Logout
{
    public static async Task EndAsync(HttpContext http, AccountSessions sessions, SecurityEvents events)
    {
        if (SessionClaims.SessionOf(http.User) is { } session && await sessions.EndAsync(session, "logout", CancellationToken.None))
        {
            events.SignedOut(SessionClaims.AccountOf(http.User) ?? SecurityEvents.UnknownAccount, session);
        }

        if (!SessionValidation.IsBearer(http))
        {
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}

/// <summary>
/// The one password check behind both sign-in routes. Every attempt costs one password-hash verification, whether the
/// account exists, is locked or deactivated, or the password is wrong (an unknown user name is checked against a dummy
/// hash), and every failure gets the same answer, so neither the time taken nor the answer tells whether a user name
/// has an account or whether it is locked. Lockout counts every failure; the demo password is refused outside
/// Development before anything is looked up.
/// </summary>
internal sealed class PasswordSignIn(
    SignInManager<Account> signInManager,
    UserManager<Account> users,
    IHostEnvironment environment,
    AccountSessions sessions,
    SecurityEvents events,
    IOptions<AccountOptions> options,
    TimeProvider time)
{
    public const string FailedCode = "signInFailed";

    private static readonly Account Nobody = new() { PersonId = "", UserName = "" };
    private static string? _dummyHash;

    public async Task<(Account? Account, IResult? Problem)> CheckAsync(string userName, string password)
    {
        if (password == DemoAccounts.Password && !environment.IsDevelopment())
        {
            events.SignInFailed(SecurityEvents.UnknownAccount, "demo-password");
            return (null, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused.",
                detail: "The demo password is only accepted in the Development environment.",
                extensions: new Dictionary<string, object?> { ["code"] = "demoPasswordRefused" }));
        }

        var account = await users.FindByNameAsync(userName) ?? await users.FindByEmailAsync(userName);
        var refusal = account switch
        {
            null => "unknown-account",
            { DeactivatedAt: not null } => "deactivated",
            _ when await users.IsLockedOutAsync(account) => "locked",
            _ => null,
        };
        if (refusal is not null)
        {
            VerifyAgainstDummy(password);
            events.SignInFailed(account?.Id ?? SecurityEvents.UnknownAccount, refusal);
            return (null, Failed());
        }

        var result = await signInManager.CheckPasswordSignInAsync(account!, password, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return (account, null);
        }

        if (result.IsLockedOut)
        {
            events.LockedOut(account!.Id, await users.GetLockoutEndDateAsync(account));
        }
        else
        {
            events.SignInFailed(account!.Id, "wrong-password");
        }

        return (null, Failed());
    }

    /// <summary>A new bearer session: its access token and the first refresh token of its chain.</summary>
    public async Task<IResult> BearerSignInAsync(Account account, CancellationToken cancellationToken)
    {
        var session = await sessions.StartAsync(account, AccountSession.BearerKind, cancellationToken);
        events.SignInSucceeded(account.Id, session.Kind, session.Id);
        return await BearerTokensAsync(account, session.Id, session.RefreshTokenId!.Value, cancellationToken, session.ExpiresAt);
    }

    /// <summary>A token pair of the bearer session: the access token never outlives the session's absolute end.</summary>
    public async Task<IResult> BearerTokensAsync(Account account, Guid sessionId, Guid refreshTokenId, CancellationToken cancellationToken, DateTimeOffset? sessionEnds = null)
    {
        var principal = await signInManager.CreateUserPrincipalAsync(account);
        var identity = (System.Security.Claims.ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new(SessionClaims.SessionId, sessionId.ToString("N")));
        identity.AddClaim(new(SessionClaims.RefreshTokenId, refreshTokenId.ToString("N")));
        var properties = new AuthenticationProperties();
        var accessEnds = time.GetUtcNow() + TimeSpan.FromMinutes(options.Value.AccessTokenMinutes);
        if (sessionEnds is { } end && end < accessEnds)
        {
            properties.ExpiresUtc = end;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Results.SignIn(principal, properties, IdentityConstants.BearerScheme);
    }

    /// <summary>A new cookie session for the web pages.</summary>
    public async Task CookieSignInAsync(Account account)
    {
        var session = await sessions.StartAsync(account, AccountSession.CookieKind, CancellationToken.None);
        await signInManager.SignInWithClaimsAsync(account, isPersistent: false, [new(SessionClaims.SessionId, session.Id.ToString("N"))]);
        events.SignInSucceeded(account.Id, session.Kind, session.Id);
    }

    /// <summary>The same work as checking a real password, against a hash of a random one, so an unknown name takes as long.</summary>
    private void VerifyAgainstDummy(string password)
    {
        var hash = _dummyHash ??= users.PasswordHasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)));
        users.PasswordHasher.VerifyHashedPassword(Nobody, hash, password);
    }

    private static IResult Failed() => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.",
        detail: "The user name or password is wrong, or the account cannot sign in now (after repeated failures it is locked for a while).",
        extensions: new Dictionary<string, object?> { ["code"] = FailedCode });
}
