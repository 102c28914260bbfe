using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Sealing;

/// <summary>Thrown at start when the database was written with another sealing key than the one configured.</summary>
public sealed class StoreKeyMismatchException(string message) : InvalidOperationException(message);

/// <summary>
/// At start, before anything is served: the first host on a database records which key it was given; every later
/// start (a restart, a second host, a restored backup) must be given the same key, or it refuses to run with a message
/// that says what to do. Without this check a restore without its key would only show up as journals that "do not
/// verify" and secret ballots that cannot be counted.
/// </summary>
public static class StoreKeyGuard
{
    public static async Task EnsureAsync(WorkflowDbContext db, StoreKeys keys, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var recorded = await db.StoreKeyChecks.AsNoTracking().FirstOrDefaultAsync(c => c.Name == StoreKeyCheck.SealingKey, cancellationToken);
        if (recorded is null)
        {
            db.StoreKeyChecks.Add(new StoreKeyCheck { Name = StoreKeyCheck.SealingKey, Check = keys.KeyCheck, RecordedAt = time.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException)
            {
                // Another host recorded its key first: compare with that one.
                db.ChangeTracker.Clear();
                recorded = await db.StoreKeyChecks.AsNoTracking().FirstAsync(c => c.Name == StoreKeyCheck.SealingKey, cancellationToken);
            }
        }

        if (recorded.Check != keys.KeyCheck)
        {
            throw new StoreKeyMismatchException(
                $"This database was written with another sealing key (key check {recorded.Check[..8]}…, recorded {recorded.RecordedAt:yyyy-MM-dd}); "
                + $"the configured Sealing:Key has key check {keys.KeyCheck[..8]}…. Without its own key the journals cannot be verified and open secret "
                + "ballots cannot be counted. Start the host with the Sealing:Key that was in use when this database (or backup) was written "
                + "(docs/operations.md, \"Keys\"). Nothing was changed.");
        }
    }
}
