using System.Text;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkflowHost.Api;
using WorkflowHost.Persistence;

namespace WorkflowHost.Configuration;

/// <summary>
/// <c>/health</c> asks the database a trivial question. While it does not answer the endpoint says 503 and names it,
/// so a load balancer or an operator sees at once which part is down; the reason goes to the log, not to the
/// (anonymous) caller.
/// </summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<WorkflowDbContext> contexts, PersistenceOptions options, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public const string Name = "database";

    /// <summary>A database that takes longer than this to answer "SELECT 1" is as good as down for the people waiting.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(timeout.Token);
            await db.Database.OpenConnectionAsync(timeout.Token);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy($"the {options.Provider} database answers");
        }
        catch (Exception e) when (TransientDatabaseFailure.IsTransient(e) || e is System.Data.Common.DbException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Health: the {Provider} database does not answer ({Error}: {Message}).", options.Provider, e.GetType().Name, e.Message);
            return new HealthCheckResult(context.Registration.FailureStatus, $"the {options.Provider} database does not answer");
        }
    }
}

internal static class HealthEndpoint
{
    /// <summary>
    /// <c>Healthy</c> as plain text when all is well (what probes expect); otherwise the status and one line per failing
    /// check, e.g. <c>database: Unhealthy (the PostgreSql database does not answer)</c>, with status 503.
    /// </summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = new StringBuilder(report.Status.ToString());
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
        {
            text.Append('\n').Append(name).Append(": ").Append(entry.Status).Append(" (").Append(entry.Description).Append(')');
        }

        return context.Response.WriteAsync(text.ToString());
    }
}
