using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Persistence.Sealing;

namespace WorkflowHost.Persistence.Journal;

/// <summary>
/// Moves journals written before decision 90 (plain SHA-256) to the keyed chain, at start: each instance's old chain is
/// verified first, then every event is hashed again under the key and the instance's head moved, in one transaction
/// guarded by the instance's version (a step committed meanwhile makes it start over). A chain that does not verify is
/// left exactly as it is, as evidence, and is reported broken by every verification from then on.
/// </summary>
public static class JournalRekey
{
    public static async Task<JournalRekeyResult> RunAsync(IDbContextFactory<WorkflowDbContext> contexts, StoreKeys keys, ILogger logger, CancellationToken cancellationToken = default)
    {
        List<Guid> ids;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            ids = await db.JournalEvents.AsNoTracking().Where(e => e.HashScheme == JournalChain.LegacyScheme)
                .Select(e => e.InstanceId).Distinct().ToListAsync(cancellationToken);
        }

        var rekeyed = 0;
        var broken = new List<(Guid, JournalVerification)>();
        foreach (var id in ids)
        {
            for (var attempt = 1; attempt <= 10; attempt++)
            {
                var outcome = await TryRekeyAsync(contexts, keys, id, cancellationToken);
                if (outcome.Verification is { Intact: false } failed)
                {
                    broken.Add((id, failed));
                    logger.LogWarning("The journal of instance {InstanceId} does not verify at event {Sequence} ({Problem}); it is left in the unkeyed scheme as evidence.",
                        id, failed.FirstBrokenSequence, failed.Problem);
                    break;
                }

                if (outcome.Done)
                {
                    rekeyed++;
                    break;
                }
            }
        }

        if (ids.Count > 0)
        {
            logger.LogInformation("Journal re-keyed: {Rekeyed} of {Instances} instances moved to the keyed hash chain, {Broken} broken left as they were.",
                rekeyed, ids.Count, broken.Count);
        }

        return new JournalRekeyResult(rekeyed, broken);
    }

    private static async Task<(bool Done, JournalVerification? Verification)> TryRekeyAsync(IDbContextFactory<WorkflowDbContext> contexts, StoreKeys keys, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var head = await db.Instances.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new { i.Version, i.JournalSequence, i.JournalHead }).SingleAsync(cancellationToken);
        var events = await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == id).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        if (events.TrueForAll(e => e.HashScheme == JournalChain.KeyedScheme))
        {
            return (true, null); // another host did it
        }

        var verification = JournalChain.Verify(keys, events, head.JournalSequence, head.JournalHead, allowLegacy: true);
        if (!verification.Intact)
        {
            return (false, verification);
        }

        var previous = JournalChain.Genesis;
        foreach (var e in events)
        {
            var hash = JournalChain.Compute(keys, JournalChain.KeyedScheme, previous, e.InstanceId, e.Sequence, e.Type, e.OccurredAt, e.DataJson);
            var oldHash = e.Hash;
            var link = previous;
            var updated = await db.JournalEvents
                .Where(x => x.InstanceId == id && x.Sequence == e.Sequence && x.Hash == oldHash)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.PreviousHash, link).SetProperty(x => x.Hash, hash).SetProperty(x => x.HashScheme, JournalChain.KeyedScheme), cancellationToken);
            if (updated != 1)
            {
                return (false, null);
            }

            previous = hash;
        }

        var moved = await db.Instances.Where(i => i.Id == id && i.Version == head.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.JournalHead, previous).SetProperty(i => i.Version, head.Version + 1), cancellationToken);
        if (moved != 1)
        {
            return (false, null); // a step committed meanwhile: start over on its journal
        }

        await transaction.CommitAsync(cancellationToken);
        return (true, null);
    }
}

public sealed record JournalRekeyResult(int Rekeyed, IReadOnlyList<(Guid InstanceId, JournalVerification Verification)> Broken);
