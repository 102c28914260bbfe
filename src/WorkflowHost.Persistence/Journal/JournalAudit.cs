using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Journal;

/// <summary>Verifies the journal of every instance in a database: after a backup, after a restore, or on demand.</summary>
public static class JournalAudit
{
    public static async Task<JournalAuditResult> VerifyAllAsync(IDbContextFactory<WorkflowDbContext> contexts, Sealing.StoreKeys keys, CancellationToken cancellationToken = default)
    {
        List<Guid> ids;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            ids = await db.Instances.AsNoTracking().OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(cancellationToken);
        }

        var queries = new WorkflowQueries(contexts, keys);
        var broken = new List<(Guid InstanceId, JournalVerification Verification)>();
        var events = 0;
        foreach (var id in ids)
        {
            var verification = await queries.VerifyJournalAsync(id, cancellationToken);
            events += verification.EventsChecked;
            if (!verification.Intact)
            {
                broken.Add((id, verification));
            }
        }

        return new JournalAuditResult(ids.Count, events, broken);
    }
}

public sealed record JournalAuditResult(int Instances, int EventsChecked, IReadOnlyList<(Guid InstanceId, JournalVerification Verification)> Broken)
{
    public bool AllIntact => Broken.Count == 0;
}
