using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using WorkflowHost.Web;

namespace WorkflowHost.Api;

/// <summary>
/// Which failures mean "the database is not answering right now" rather than "this request is wrong" or "a bug": the
/// server down or restarting, the network gone, a lock held too long, a timeout, EF's retries used up. Looked for
/// anywhere in the exception's chain, because EF and Npgsql wrap the cause (DbUpdateException, "likely due to a
/// transient failure").
/// </summary>
internal static class TransientDatabaseFailure
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static bool IsTransient(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            var transient = e switch
            {
                NpgsqlException npgsql => npgsql.IsTransient,
                SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
                TimeoutException or RetryLimitExceededException => true,
                _ => false,
            };
            if (transient)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// A request that met an unreachable database answers 503 with <c>Retry-After</c>: a ProblemDetails (code
/// <c>databaseUnavailable</c>) for API clients, a short page for browsers. A step runs in one transaction, so it was
/// either committed whole or not at all; a request repeated with its Idempotency-Key cannot be applied twice.
/// Registered before the other exception handlers so that every endpoint and page gets the same answer.
/// </summary>
internal sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>How long clients are asked to wait: long enough for a database restart, short enough not to give up.</summary>
    public const int RetryAfterSeconds = 10;

    public const string Code = "databaseUnavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!TransientDatabaseFailure.IsTransient(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        // One line without the stack: during an outage every request ends here, and the cause is the same each time.
        logger.LogWarning("{Method} {Path}: the database is unavailable ({Error}: {Message}); answered 503.",
            httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().GetType().Name, exception.GetBaseException().Message);

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        httpContext.Response.Headers.CacheControl = "no-store";
        if (WantsPage(httpContext.Request))
        {
            await WritePageAsync(httpContext, cancellationToken);
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable.",
                Detail = $"The database did not answer, so this request was not carried out. Try again in {RetryAfterSeconds} seconds; " +
                         "a request sent with an Idempotency-Key may be repeated safely.",
                Extensions = { ["code"] = Code, ["retryAfterSeconds"] = RetryAfterSeconds },
            },
        });
    }

    private static bool WantsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>A page that needs nothing from the database: the language comes from the cookie, not the person's profile.</summary>
    private static async Task WritePageAsync(HttpContext httpContext, CancellationToken cancellationToken)
    {
        var t = new Texts(httpContext.Request.Cookies[WebPagesRegistration.LanguageCookie]);
        var html = httpContext.RequestServices.GetRequiredService<HtmlEncoder>(); // the host's, which leaves Chinese as characters
        var again = HttpMethods.IsGet(httpContext.Request.Method) ? (httpContext.Request.Path + httpContext.Request.QueryString).ToString() : "/inbox";
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        await httpContext.Response.WriteAsync(
            $"""
             <!doctype html>
             <html lang="{t.Language}">
             <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
             <title>{html.Encode(t.DatabaseUnavailableTitle)} · {html.Encode(t.AppName)}</title>
             <link rel="stylesheet" href="/css/site.css"></head>
             <body><main id="main" data-test="database-unavailable">
             <h1>{html.Encode(t.DatabaseUnavailableTitle)}</h1>
             <p>{html.Encode(t.DatabaseUnavailableText(RetryAfterSeconds))}</p>
             <p><a href="{html.Encode(again)}">{html.Encode(t.TryAgain)}</a></p>
             </main></body></html>
             """, cancellationToken);
    }
}
