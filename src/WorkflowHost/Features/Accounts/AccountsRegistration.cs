using System.Threading.RateLimiting;
using FluentValidation;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using WorkflowHost.Api;
using WorkflowHost.Configuration;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// Identity on the workflow database, two ways to sign in (a cookie for the web pages, a bearer token for API clients),
/// lockout after repeated failures, a rate limit on sign-in, and CSRF protection for cookie-authenticated posts.
/// </summary>
internal static class AccountsRegistration
{
    /// <summary>Chooses bearer when the request carries <c>Authorization: Bearer</c>, the cookie otherwise.</summary>
    public const string Scheme = "WorkflowHost";
    public const string SignInRateLimit = "sign-in";
    public const string PublicRateLimit = "public";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.AddValidatedOptionsNow<AccountOptions, AccountOptionsValidator>(AccountOptions.Section);

        // Cookies, bearer tokens and antiforgery tokens are protected with keys kept in the database, so several hosts
        // sharing one PostgreSQL database accept each other's tokens.
        services.AddDataProtection().SetApplicationName("WorkflowHost").PersistKeysToDbContext<WorkflowDbContext>();

        services.AddIdentityCore<Account>(identity =>
            {
                PasswordRules.Apply(identity.Password);
                identity.Lockout.AllowedForNewUsers = true;
                identity.Lockout.MaxFailedAccessAttempts = options.MaxFailedAttempts;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(options.LockoutMinutes);
                identity.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<WorkflowDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AccountClaimsFactory>()
            .AddPasswordValidator<DemoPasswordValidator>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddDefaultTokenProviders();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer token", policy => policy.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, cookie =>
            {
                cookie.Cookie.Name = "workflowhost.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // Sliding: 8 hours without a request end it; the session row caps it at CookieAbsoluteHours after sign-in.
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = SessionValidation.ValidateCookieAsync;
                cookie.LoginPath = "/account/login";
                cookie.LogoutPath = "/account/logout";
                cookie.AccessDeniedPath = "/account/login";
                cookie.Events.OnRedirectToLogin = context => ApiAnswers(context.HttpContext, StatusCodes.Status401Unauthorized, context.RedirectUri);
                cookie.Events.OnRedirectToAccessDenied = context => ApiAnswers(context.HttpContext, StatusCodes.Status403Forbidden, context.RedirectUri);
            })
            .AddBearerToken(IdentityConstants.BearerScheme, bearer =>
            {
                bearer.BearerTokenExpiration = TimeSpan.FromMinutes(options.AccessTokenMinutes);
                bearer.RefreshTokenExpiration = TimeSpan.FromDays(options.RefreshTokenDays);
                bearer.Events.OnMessageReceived = SessionValidation.ValidateBearerAsync;
            });

        // The policies name no authentication scheme: the authentication middleware has already authenticated the
        // default scheme (this policy scheme, the only one a policy named), and the policy evaluator then takes
        // HttpContext.User as it is. Naming it made the evaluator authenticate it a second time per request, through the
        // forwarding and the cached handler, to the same principal copied into a new one (decision 177).
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser().RequireClaim(Caller.PersonClaim));
        Administrators.AddPolicy(authorization);

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = AntiforgeryHeader;
            antiforgery.Cookie.Name = "workflowhost.csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.",
                        detail: "Too many attempts from this address; wait a minute and try again.")
                    .ExecuteAsync(context.HttpContext);
            };
            // Only a POST is a sign-in attempt. The sign-in page (Pages/Account/Login) is one Razor Pages endpoint for
            // GET and POST, and [EnableRateLimiting] applies to the whole endpoint, so showing the form must be let
            // through here. (The API's sign-in routes take POST only; for them nothing changes.) The no-limit partition
            // has a key of its own: partitions are kept by key, and one shared with an address would let its posts through.
            limiter.AddPolicy(SignInRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("not an attempt"));
            limiter.AddPolicy(PublicRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PublicRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        services.AddSingleton<BearerTicketCache>();
        services.AddScoped<CallerResolver>();
        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<SecurityEvents>();
        services.AddSingleton<SessionCheckCache>();
        services.AddSingleton<AuthorizationEpochTriggers>();
        services.AddHostedService(provider => provider.GetRequiredService<AuthorizationEpochTriggers>());
        services.AddSingleton<AccountSessions>();
        services.AddScoped<AccountAdministration>();
        services.AddScoped<AccountLinks>();
        services.AddScoped<LinkDelivery>();
        services.AddScoped<TotpCodes>();
        services.AddScoped<PendingSignIn>();
        services.AddScoped<TwoFactorGate>();
        services.AddScoped<IValidator<SetPasswordThroughLinkRequest>, SetPasswordThroughLinkRequestValidator>();
        services.AddScoped<IValidator<TwoFactorTokenRequest>, TwoFactorTokenRequestValidator>();
        services.AddScoped<IValidator<TwoFactorEnrolmentRequest>, TwoFactorEnrolmentRequestValidator>();
        services.AddScoped<IValidator<TwoFactorConfirmRequest>, TwoFactorConfirmRequestValidator>();
        // Request paths carry invitation and reset tokens (/account/invitation/{token}). The two framework categories
        // that write the path (the hosting "Request starting" lines at Information, the route matcher at Debug) stay
        // at Warning whatever the configuration says; the leak scan proves nothing else does (docs/decisions/0105).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.Matching", LogLevel.Warning);
        services.AddScoped<IValidator<TokenRequest>, TokenRequestValidator>();
        services.AddScoped<IValidator<RefreshRequest>, RefreshRequestValidator>();
        services.AddScoped<IValidator<ChangePasswordRequest>, ChangePasswordRequestValidator>();
        return builder;
    }

    public const string SignedIn = "signed-in";

    public static WebApplication UseAccounts(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();
        return app;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        SignInEndpoints.Map(endpoints);

        // The sign-in form is the page Pages/Account/Login. Signing out shows nothing, so it is an endpoint; its form
        // parameter (unused) makes it a form post, which the antiforgery middleware checks for the token.
        endpoints.MapPost("/account/logout", async ([Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl, HttpContext context, AccountSessions sessions, SecurityEvents events) =>
        {
            await Logout.EndAsync(context, sessions, events);
            return Results.LocalRedirect("/account/login");
        }).ExcludeFromDescription();
        AccountAdministration.Map(endpoints);
        AccountLinkEndpoints.Map(endpoints);
        TwoFactorEndpoints.Map(endpoints);
        return endpoints;
    }

    /// <summary>API calls get a status code (401, 403), never a redirect to the sign-in page.</summary>
    private static Task ApiAnswers(HttpContext context, int status, string redirectUri)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "local";
}

/// <summary>Settings of the <c>Accounts</c> section.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    public int MaxFailedAttempts { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    public int SignInAttemptsPerMinute { get; set; } = 10;

    public int PublicRequestsPerMinute { get; set; } = 30;

    public int AccessTokenMinutes { get; set; } = 60;

    public int RefreshTokenDays { get; set; } = 14;

    /// <summary>A cookie session ends this long after sign-in, however active (the 8-hour sliding window renews it until then).</summary>
    public int CookieAbsoluteHours { get; set; } = 12;

    /// <summary>A chain of refresh tokens ends this long after the sign-in that started it; then the client signs in again.</summary>
    public int RefreshChainDays { get; set; } = 30;

    /// <summary>An invitation or reset link works once, for this long after it was issued.</summary>
    public int LinkHours { get; set; } = 72;

    /// <summary>The time between a right password and its second step (a two-factor code, or enrolment).</summary>
    public int PendingSignInMinutes { get; set; } = 5;

    /// <summary>
    /// How many sessions' checks a host keeps for step commands to reuse, verified by the step's own read (decision 173);
    /// 0 checks every request in full.
    /// </summary>
    public int SessionCheckCacheEntries { get; set; } = 10_000;
}

internal sealed class AccountOptionsValidator : AbstractValidator<AccountOptions>
{
    public AccountOptionsValidator()
    {
        RuleFor(o => o.MaxFailedAttempts).InclusiveBetween(1, 100);
        RuleFor(o => o.LockoutMinutes).InclusiveBetween(1, 24 * 60);
        RuleFor(o => o.SignInAttemptsPerMinute).InclusiveBetween(1, 10_000);
        RuleFor(o => o.PublicRequestsPerMinute).InclusiveBetween(1, 10_000);
        RuleFor(o => o.AccessTokenMinutes).InclusiveBetween(1, 24 * 60);
        RuleFor(o => o.RefreshTokenDays).InclusiveBetween(1, 90);
        RuleFor(o => o.CookieAbsoluteHours).InclusiveBetween(1, 7 * 24);
        RuleFor(o => o.RefreshChainDays).InclusiveBetween(1, 365);
        RuleFor(o => o.LinkHours).InclusiveBetween(1, 30 * 24);
        RuleFor(o => o.PendingSignInMinutes).InclusiveBetween(1, 30);
        RuleFor(o => o.SessionCheckCacheEntries).InclusiveBetween(0, 1_000_000);
    }
}

/// <summary>
/// Cookie-authenticated requests that change state must carry the antiforgery token (header <c>X-CSRF-TOKEN</c>, from
/// <c>GET /api/account/antiforgery</c>): a cross-site page cannot read it, so it cannot forge the request. Requests with a
/// bearer token are not exposed to CSRF (a browser never adds the header on its own) and pass: exactly the requests the
/// bearer scheme authenticated, not any request with some <c>Authorization</c> header (<c>Basic …</c> beside a cookie is a
/// cookie request).
/// </summary>
internal sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    /// <summary>
    /// A request the token check does not concern (a safe method, a bearer request, no sign-in) goes on to the handler
    /// without a frame of its own: the check was the only reason to await, and the awaiting frame was an allocation of
    /// every bearer vote (decision 177). The condition is the one it always was.
    /// </summary>
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var unsafeMethod = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
        var byCookie = http.User.Identity?.IsAuthenticated == true && !SessionValidation.IsBearer(http);
        return unsafeMethod && byCookie ? CheckedAsync(http, context, next) : next(context);
    }

    private async ValueTask<object?> CheckedAsync(HttpContext http, EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token.",
                detail: $"A request signed in with the cookie must send the {AccountsRegistration.AntiforgeryHeader} header; get it from GET /api/account/antiforgery.",
                extensions: new Dictionary<string, object?> { ["code"] = "antiforgery" });
        }

        return await next(context);
    }
}
