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
            .WithDescription("User name is the person id (e.g. p-liaison-gao) or the e-mail. Repeated failures lock the account; sign-in attempts are rate limited per address.")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
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
    }

    private static async Task<IResult> IssueTokenAsync(Body<TokenRequest> body, PasswordSignIn signIn)
    {
        var (account, problem) = await signIn.CheckAsync(body.Value.UserName!, body.Value.Password!);
        if (problem is not null)
        {
            return problem;
        }

        return Results.SignIn(await signIn.PrincipalAsync(account!), authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static async Task<IResult> RefreshAsync(
        Body<RefreshRequest> body,
        IOptionsMonitor<BearerTokenOptions> bearerOptions,
        SignInManager<Account> signInManager,
        TimeProvider time)
    {
        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(body.Value.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires
            || await signInManager.ValidateSecurityStampAsync(ticket.Principal) is not { } account)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The refresh token is not valid.");
        }

        return Results.SignIn(await signInManager.CreateUserPrincipalAsync(account), authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static async Task<IResult> ChangePasswordAsync(Body<ChangePasswordRequest> body, Caller caller, UserManager<Account> users)
    {
        var account = users.Users.First(a => a.PersonId == caller.PersonId);
        var result = await users.ChangePasswordAsync(account, body.Value.CurrentPassword!, body.Value.NewPassword!);
        if (result.Succeeded)
        {
            return Results.NoContent();
        }

        var field = result.Errors.Any(e => e.Code == "PasswordMismatch") ? "currentPassword" : "newPassword";
        return Problems.Validation(new Dictionary<string, string[]> { [field] = [.. result.Errors.Select(e => e.Description)] });
    }
}

/// <summary>
/// The one password check behind both sign-in routes: lockout counts every failure, and the demo password is refused
/// outside Development before it is even compared.
/// </summary>
public sealed class PasswordSignIn(SignInManager<Account> signInManager, UserManager<Account> users, IHostEnvironment environment)
{
    public async Task<(Account? Account, IResult? Problem)> CheckAsync(string userName, string password)
    {
        if (password == DemoAccounts.Password && !environment.IsDevelopment())
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused.",
                detail: "The demo password is only accepted in the Development environment.",
                extensions: new Dictionary<string, object?> { ["code"] = "demoPasswordRefused" }));
        }

        var account = await users.FindByNameAsync(userName) ?? await users.FindByEmailAsync(userName);
        if (account is null)
        {
            return (null, WrongCredentials());
        }

        var result = await signInManager.CheckPasswordSignInAsync(account, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            var until = await users.GetLockoutEndDateAsync(account);
            return (null, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Account locked.",
                detail: $"Too many failed sign-ins; the account is locked until {until:O}.",
                extensions: new Dictionary<string, object?> { ["code"] = "lockedOut", ["lockedUntil"] = until}));
        }

        return result.Succeeded ? (account, null) : (null, WrongCredentials());
    }

    public Task<ClaimsPrincipal> PrincipalAsync(Account account) => signInManager.CreateUserPrincipalAsync(account);

    public Task CookieSignInAsync(Account account) => signInManager.SignInAsync(account, isPersistent: false);

    private static IResult WrongCredentials() => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.",
        detail: "Wrong user name or password.", extensions: new Dictionary<string, object?> { ["code"] = "wrongCredentials" });
}
