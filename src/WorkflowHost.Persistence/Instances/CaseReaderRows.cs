using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Instances;

/// <summary>Stores <see cref="CaseReadersAdded"/>: one row per case and person, added once; a person already reading keeps their first reason.</summary>
internal static class CaseReaderRows
{
    public static async Task AddAsync(WorkflowDbContext db, WorkflowInstance row, CaseReadersAdded added, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var people = added.PersonIds.ToList();
        var existing = await db.CaseReaders.Where(r => r.InstanceId == row.Id && people.Contains(r.PersonId))
            .Select(r => r.PersonId).ToListAsync(cancellationToken);
        var tracked = db.ChangeTracker.Entries<CaseReader>().Where(e => e.Entity.InstanceId == row.Id).Select(e => e.Entity.PersonId);
        foreach (var person in people.Except(existing).Except(tracked).ToList())
        {
            db.CaseReaders.Add(new CaseReader
            {
                InstanceId = row.Id, PersonId = person, CommunityId = row.CommunityId, Reason = StoredName.Of(added.Reason),
                AddedBy = added.AddedBy, AddedAt = now,
            });
        }
    }

    /// <summary>
    /// Stores <see cref="CaseReaderWithdrawn"/>: the person's row goes, so the one visibility rule no longer admits them; a
    /// person with another ground keeps the row under that reason. Two withdrawals racing are ordered by the instance's
    /// version check, in the same step.
    /// </summary>
    public static async Task WithdrawAsync(WorkflowDbContext db, WorkflowInstance row, CaseReaderWithdrawn withdrawn, CancellationToken cancellationToken)
    {
        var rows = db.CaseReaders.Where(r => r.InstanceId == row.Id && r.PersonId == withdrawn.PersonId);
        if (withdrawn.StillReadingAs is { } kept)
        {
            var reason = StoredName.Of(kept);
            await rows.ExecuteUpdateAsync(s => s.SetProperty(r => r.Reason, reason), cancellationToken);
        }
        else
        {
            await rows.ExecuteDeleteAsync(cancellationToken);
        }

        if (withdrawn.Reason == CaseReaderReason.Copied)
        {
            await Notifications.WithdrawnCopyNotices.SuppressPendingAsync(db, row.Id, withdrawn.PersonId, cancellationToken);
        }
        else if (withdrawn.Reason == CaseReaderReason.Prepared)
        {
            await Notifications.EndedReadingNotices.SuppressPendingAsync(db, row.Id, withdrawn.PersonId, cancellationToken);
        }
    }
}
