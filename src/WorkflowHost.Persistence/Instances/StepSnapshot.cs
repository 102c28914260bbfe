using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The first part of a SQLite step (decision 146): its reads and the engine's decision, in a deferred transaction, so
/// every read sees one snapshot, and outside this process's turn to write (StepWriteGate), so the turn holds only the
/// writes and the commit. In WAL mode a reader never waits for the writer. What the snapshot decided is written only if
/// the instance's version is still the one it read (StepWrites), otherwise the step runs again from its reads, as a
/// step that lost a race on PostgreSQL does.
/// </summary>
internal static class StepSnapshot
{
    public static async Task<StepOutcome> DecideAsync(WorkflowDbContext db, Func<WorkflowDbContext, Task<StepOutcome>> step, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        using var snapshot = connection.BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(snapshot, cancellationToken);
        try
        {
            return await step(db);
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, CancellationToken.None);
            // Nothing was written: ending the read lets the checkpointer past the snapshot.
            snapshot.Rollback();
        }
    }
}
