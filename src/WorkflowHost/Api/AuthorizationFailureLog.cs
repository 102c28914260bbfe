using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;

namespace WorkflowHost.Api;

/// <summary>
/// One log entry (Warning, event 4030 <c>AuthorizationFailed</c>, category <see cref="Category"/>) for every request that
/// was refused for who is asking: 401 (not signed in, including the web pages' redirect to the sign-in page), 403 (signed
/// in, not allowed), and 404 when the instance exists but the caller may not see it (decision 21 answers that 404 to the
/// caller; the log says what it was). It names the account by its id only, and the request by method, route template and
/// resource id: no names, e-mail addresses, tokens, query strings or bodies. See docs/decisions/0056.
/// </summary>
internal static partial class AuthorizationFailureLog
{
    public const string Category = "WorkflowHost.AuthorizationFailures";
    public const int EventNumber = 4030;
    public const string Anonymous = "anonymous";

    private static readonly object OutcomeKey = new();

    /// <summary>Runs around everything after it, so it sees the final status (after the exception handler, too).</summary>
    public static IApplicationBuilder UseAuthorizationFailureLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            await next(context);
            await LogIfRefusedAsync(context, logger);
        });
    }

    /// <summary>Wraps the default result handler to remember a policy's challenge or refusal, whatever the response becomes.</summary>
    public static IServiceCollection AddAuthorizationFailureLog(this IServiceCollection services) =>
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, MarkingResultHandler>();

    private static async Task LogIfRefusedAsync(HttpContext context, ILogger logger)
    {
        var outcome = context.Items.TryGetValue(OutcomeKey, out var marked) ? (int)marked! : context.Response.StatusCode;
        if (outcome is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
            || !logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var resource = context.GetRouteValue("id") is { } value && Guid.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out var id) ? id : (Guid?)null;
        if (outcome == StatusCodes.Status404NotFound && !(resource is { } instance && await IsHiddenFromCallerAsync(context, instance)))
        {
            return;
        }

        var account = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? Anonymous : Anonymous;
        // A group's "" route ends in '/' ("/api/instances/{id:guid}/timeline/"); logged as the path is written.
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { Length: > 0 } raw ? raw.TrimEnd('/') : "(no route)";
        var at = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        Refused(logger, outcome, account, context.Request.Method, route, resource?.ToString() ?? "-", at.ToString("O", CultureInfo.InvariantCulture));
    }

    /// <summary>The instance exists, and the visibility predicate hides it from the caller: the 404 stands for a refusal.</summary>
    private static async Task<bool> IsHiddenFromCallerAsync(HttpContext context, Guid id)
    {
        var caller = await context.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(context);
        if (caller is null)
        {
            return false;
        }

        await using var db = await context.RequestServices.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync(CancellationToken.None);
        var instance = db.Instances.AsNoTracking().Where(i => i.Id == id);
        return await instance.AnyAsync() && !await db.Instances.AsNoTracking().OneVisibleTo(id, db, caller).AnyAsync();
    }

    [LoggerMessage(EventId = EventNumber, EventName = "AuthorizationFailed", Level = LogLevel.Warning,
        Message = "Authorisation failure {Outcome}: account {AccountId}, {Method} {Route}, resource {ResourceId}, at {At}")]
    private static partial void Refused(ILogger logger, int outcome, string accountId, string method, string route, string resourceId, string at);

    private sealed class MarkingResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Challenged)
            {
                context.Items[OutcomeKey] = StatusCodes.Status401Unauthorized;
            }
            else if (authorizeResult.Forbidden)
            {
                context.Items[OutcomeKey] = StatusCodes.Status403Forbidden;
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
