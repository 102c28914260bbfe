using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace WorkflowHost.Persistence;

/// <summary>
/// A context whose SQLite connection stays open, with its statements kept prepared (<see cref="SqliteKeptStatements"/>):
/// the group writer's (decision 161) and each kept reader's (decision 162). Its owner uses it one piece of work at a time
/// and, when a piece fails, closes it and opens another, since the failure may have left the connection or its statements
/// unusable.
/// </summary>
internal sealed record SqliteKeptContext(WorkflowDbContext Db, SqliteKeptStatements.KeptOnConnection Statements)
{
    /// <summary>
    /// A new context with its connection open and registered to keep its statements; <paramref name="opened"/> sees the
    /// connection first (the group writer hands its checkpoints to the checkpointer there, decision 167).
    /// </summary>
    public static async Task<SqliteKeptContext> OpenAsync(IDbContextFactory<WorkflowDbContext> contexts, CancellationToken cancellationToken, Action<SqliteConnection>? opened = null)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            opened?.Invoke((SqliteConnection)db.Database.GetDbConnection());
            return new SqliteKeptContext(db, SqliteKeptStatements.Keep((SqliteConnection)db.Database.GetDbConnection()));
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Finalizes the kept statements, closes the connection and disposes the context. Best effort: the pool discards a
    /// broken connection, and the work that failed must not wait on it; what could not be closed goes to
    /// <paramref name="notClosed"/>, for the owner to log in its own words. <paramref name="closing"/> sees the connection
    /// after its statements are finalized and before it closes.
    /// </summary>
    public async ValueTask CloseAsync(Action<Exception> notClosed, Action<SqliteConnection>? closing = null)
    {
        try
        {
            Statements.Dispose();
            closing?.Invoke((SqliteConnection)Db.Database.GetDbConnection());
            await Db.Database.CloseConnectionAsync();
            await Db.DisposeAsync();
        }
        catch (Exception e)
        {
            notClosed(e);
        }
    }
}
