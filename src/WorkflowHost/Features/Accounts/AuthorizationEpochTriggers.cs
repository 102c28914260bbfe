using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Persistence;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// Lets this host reuse session checks (decision 173) only once it has seen, in its database, the triggers that raise the
/// authorization epoch. Without them (a table-only dump restored into a bare schema, a trigger dropped by hand) the epoch
/// would never move and a kept check would never be found stale: reuse would fail open. So the cache starts closed, and
/// stays closed, every request checking its session in full, when a trigger is missing or the database cannot be asked.
/// </summary>
internal sealed class AuthorizationEpochTriggers(
    IDbContextFactory<WorkflowDbContext> contexts, PersistenceOptions options, SessionCheckCache cache, ILogger<AuthorizationEpochTriggers> logger) : IHostedService
{
    /// <summary>What the AuthorizationEpoch migrations create: on SQLite one trigger per table and action, on PostgreSQL one statement trigger per table.</summary>
    public int Expected => options.Provider == DatabaseProvider.PostgreSql ? 4 : 10;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var found = await CountAsync(cancellationToken);
            if (found == Expected)
            {
                cache.AllowReuse();
                return;
            }

            logger.LogError(
                "The database has {Found} of the {Expected} triggers that raise the authorization epoch: this host will not reuse session checks (decision 173). Apply the migrations again, or restore from a full backup.",
                found, Expected);
        }
        catch (Exception e) when (e is DbException || TransientDatabaseFailure.IsTransient(e))
        {
            logger.LogWarning("The authorization epoch's triggers could not be counted ({Error}): this host will not reuse session checks until it restarts.", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The epoch's triggers on the tables this host's database uses (PostgreSQL: in its current schema).</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = options.Provider == DatabaseProvider.PostgreSql
            ? """
              SELECT count(*) FROM pg_trigger t
              JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_proc p ON p.oid = t.tgfoid
              WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND n.nspname = current_schema()
                AND left(t.tgname, 19) = 'AuthorizationEpoch_' AND p.proname = 'workflowhost_raise_authorization_epoch'
              """
            : "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, 19) = 'AuthorizationEpoch_'";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
