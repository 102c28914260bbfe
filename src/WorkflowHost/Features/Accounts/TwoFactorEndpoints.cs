using FluentValidation;
using Microsoft.AspNetCore.Identity;
using WorkflowHost.Api;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>The second step of a bearer sign-in: the ticket from the first step and one code (authenticator or recovery).</summary>
public sealed record TwoFactorTokenRequest(string? TwoFactorToken, string? Code, string? RecoveryCode);

/// <summary>Enrolment by a signed-in person, or by one holding the enrolment ticket the password step gave them.</summary>
public sealed record TwoFactorEnrolmentRequest(string? TwoFactorToken);

public sealed record TwoFactorConfirmRequest(string? TwoFactorToken, string? Code);

/// <summary>The secret to enter into an authenticator app (or the <c>otpauth://</c> URI its QR code carries).</summary>
public sealed record TwoFactorEnrolmentResponse(string Secret, string OtpauthUri);

/// <summary>The recovery codes, shown this once; each signs in once instead of a code.</summary>
public sealed record TwoFactorRecoveryCodes(IReadOnlyList<string> RecoveryCodes);

internal sealed class TwoFactorTokenRequestValidator : AbstractValidator<TwoFactorTokenRequest>
{
    public TwoFactorTokenRequestValidator()
    {
        RuleFor(r => r.TwoFactorToken).NotEmpty().MaximumLength(4096);
        RuleFor(r => r.Code).Matches("^[0-9]{6}$").WithMessage("The code is the 6 digits the authenticator app shows.").When(r => r.Code is not null);
        RuleFor(r => r.RecoveryCode).MaximumLength(32);
        RuleFor(r => r).Must(r => string.IsNullOrEmpty(r.Code) != string.IsNullOrEmpty(r.RecoveryCode))
            .WithName("code").WithMessage("Send either code or recoveryCode, exactly one of them.");
    }
}

internal sealed class TwoFactorEnrolmentRequestValidator : AbstractValidator<TwoFactorEnrolmentRequest>
{
    public TwoFactorEnrolmentRequestValidator() => RuleFor(r => r.TwoFactorToken).MaximumLength(4096);
}

internal sealed class TwoFactorConfirmRequestValidator : AbstractValidator<TwoFactorConfirmRequest>
{
    public TwoFactorConfirmRequestValidator()
    {
        RuleFor(r => r.TwoFactorToken).MaximumLength(4096);
        RuleFor(r => r.Code).NotEmpty().Matches("^[0-9]{6}$").WithMessage("The code is the 6 digits the authenticator app shows.");
    }
}

/// <summary>
/// Two-factor sign-in over the API (docs/api.md, "Two-factor sign-in"). <c>POST /api/account/token</c> answers an enrolled
/// account's right password with 401 <c>twoFactorRequired</c> and a <c>twoFactorToken</c>; the client sends that token
/// with a code to <c>POST /api/account/token/two-factor</c>. Outside Development a person whose role requires two factors
/// and who has not enrolled gets 403 <c>twoFactorEnrolmentRequired</c> with a token good for enrolment only.
/// </summary>
internal static class TwoFactorEndpoints
{
    public const string RequiredCode = "twoFactorRequired";
    public const string EnrolmentRequiredCode = "twoFactorEnrolmentRequired";
    public const string FailedCode = "twoFactorFailed";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/api/account").WithTags("Account");

        account.MapPost("/token/two-factor", SecondStepAsync)
            .AllowAnonymous()
            .RequireRateLimiting(AccountsRegistration.SignInRateLimit)
            .Accepts<TwoFactorTokenRequest>("application/json")
            .AddEndpointFilter<ValidationFilter>()
            .WithName("SignInSecondFactor")
            .WithSummary("Second sign-in step: the twoFactorToken from POST /api/account/token and a code (or a recovery code)")
            .WithDescription("A wrong or replayed code is 401 twoFactorFailed and counts toward the account's lockout, like a wrong password. The token lasts Accounts:PendingSignInMinutes and ends with a password change.")
            .Produces<Microsoft.AspNetCore.Authentication.BearerToken.AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        var enrol = account.MapGroup("/two-factor/enrolment").AllowAnonymous().AddEndpointFilter<CookieAntiforgeryFilter>()
            .RequireRateLimiting(AccountsRegistration.SignInRateLimit);
        enrol.MapPost("", BeginAsync)
            .Accepts<TwoFactorEnrolmentRequest>("application/json")
            .AddEndpointFilter<ValidationFilter>()
            .WithName("BeginTwoFactorEnrolment")
            .WithSummary("Start enrolling an authenticator app: signed in, or with the twoFactorToken of a 403 twoFactorEnrolmentRequired")
            .Produces<TwoFactorEnrolmentResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        enrol.MapPost("/confirm", ConfirmAsync)
            .Accepts<TwoFactorConfirmRequest>("application/json")
            .AddEndpointFilter<ValidationFilter>()
            .WithName("ConfirmTwoFactorEnrolment")
            .WithSummary("Confirm the enrolment with a code from the app; answers the ten recovery codes, shown this once")
            .Produces<TwoFactorRecoveryCodes>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    /// <summary>The answer to a right password when a second step is needed.</summary>
    public static IResult SecondStepNeeded(PendingStep step, string ticket, TimeSpan lifetime) => step == PendingStep.Code
        ? Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A two-factor code is needed.",
            detail: "Send twoFactorToken with the authenticator's code (or a recovery code) to POST /api/account/token/two-factor.",
            extensions: new Dictionary<string, object?> { ["code"] = RequiredCode, ["twoFactorToken"] = ticket, ["expiresIn"] = (int)lifetime.TotalSeconds })
        : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Two-factor enrolment is needed first.",
            detail: "Your role requires two-factor sign-in. Enrol with twoFactorToken (POST /api/account/two-factor/enrolment, then …/confirm) or on the sign-in page, then sign in again.",
            extensions: new Dictionary<string, object?> { ["code"] = EnrolmentRequiredCode, ["twoFactorToken"] = ticket, ["expiresIn"] = (int)lifetime.TotalSeconds });

    private static async Task<IResult> SecondStepAsync(Body<TwoFactorTokenRequest> body, PendingSignIn pending, TotpCodes codes, PasswordSignIn signIn, HttpContext http)
    {
        var request = body.Value;
        var account = await pending.ReadAsync(request.TwoFactorToken, PendingStep.Code);
        if (account is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The two-factor token is not valid.",
                detail: "It is expired, forged, or the password changed since; sign in again with the password.",
                extensions: new Dictionary<string, object?> { ["code"] = "twoFactorTokenInvalid" });
        }

        var passed = string.IsNullOrEmpty(request.RecoveryCode)
            ? await codes.VerifyAsync(account, request.Code!, http.RequestAborted) == CodeCheck.Accepted
            : await codes.RedeemRecoveryCodeAsync(account, request.RecoveryCode, http.RequestAborted);
        return passed
            ? await signIn.BearerSignInAsync(account, http.RequestAborted)
            : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The code is not right.",
                detail: "Wrong, already used, or from another time window. Repeated failures lock the account for a while.",
                extensions: new Dictionary<string, object?> { ["code"] = FailedCode });
    }

    private static async Task<IResult> BeginAsync(Body<TwoFactorEnrolmentRequest> body, PendingSignIn pending, TotpCodes codes, UserManager<Account> users, HttpContext http)
    {
        if (await EnrollingAccountAsync(body.Value.TwoFactorToken, pending, users, http) is not { } account)
        {
            return NotAllowed();
        }

        var enrolment = await codes.BeginEnrolmentAsync(account, http.RequestAborted);
        return Results.Ok(new TwoFactorEnrolmentResponse(enrolment.Secret, enrolment.Uri));
    }

    private static async Task<IResult> ConfirmAsync(Body<TwoFactorConfirmRequest> body, PendingSignIn pending, TotpCodes codes, UserManager<Account> users, HttpContext http)
    {
        if (await EnrollingAccountAsync(body.Value.TwoFactorToken, pending, users, http) is not { } account)
        {
            return NotAllowed();
        }

        var recovery = await codes.ConfirmEnrolmentAsync(account, body.Value.Code!, http.RequestAborted);
        return recovery is null
            ? Problems.Field("code", "The code does not match the secret being enrolled (or its time window has passed); try the current one.")
            : Results.Ok(new TwoFactorRecoveryCodes(recovery));
    }

    /// <summary>The signed-in person (cookie or bearer), else the holder of a valid enrolment ticket.</summary>
    public static async Task<Account?> EnrollingAccountAsync(string? ticket, PendingSignIn pending, UserManager<Account> users, HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated == true && SessionClaims.AccountOf(http.User) is { } accountId)
        {
            return await users.FindByIdAsync(accountId);
        }

        // An enrolment ticket only ever enrols a first authenticator: it never replaces one.
        return await pending.ReadAsync(ticket, PendingStep.Enrol) is { TwoFactorEnabled: false } account ? account : null;
    }

    private static IResult NotAllowed() => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in first.",
        detail: "Enrolment needs a signed-in session or the twoFactorToken of a 403 twoFactorEnrolmentRequired answer.",
        extensions: new Dictionary<string, object?> { ["code"] = "twoFactorTokenInvalid" });
}
