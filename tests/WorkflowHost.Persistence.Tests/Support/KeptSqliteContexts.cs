using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>Contexts whose connection keeps its statements (decision 161), opened the way the host's pool opens them.</summary>
internal static class KeptSqliteContexts
{
    /// <summary>
    /// An open context on the test's file whose connection keeps its statements; with <paramref name="trackStatements"/>
    /// SQLite can be asked afterwards which statements are prepared on it (<see cref="SqliteStatementProbe"/>).
    /// </summary>
    public static async Task<WorkflowDbContext> OpenKeptAsync(this SqliteTestDatabase database, bool trackStatements = false, params IInterceptor[] interceptors)
    {
        var builder = database.ContextOptions();
        if (interceptors.Length > 0)
        {
            builder.AddInterceptors(interceptors);
        }

        var db = new WorkflowDbContext(builder.Options);
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        if (trackStatements)
        {
            SqliteStatementProbe.Track(connection);
        }

        SqliteKeptStatements.Keep(connection);
        return db;
    }
}
