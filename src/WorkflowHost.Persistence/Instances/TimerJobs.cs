using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The scheduler's job id on each timer row: stored after the job is created, read when the timer is cancelled, so
/// cancelling never scans the scheduler's storage.
/// </summary>
public sealed class TimerJobs(IDbContextFactory<WorkflowDbContext> contexts)
{
    /// <summary>Records the job of a timer that has none yet; false if another host armed it first (or it is no longer pending).</summary>
    public async Task<bool> SetJobIdAsync(Guid instanceId, string timerId, string jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Timers.Where(t => t.InstanceId == instanceId && t.TimerId == timerId && t.JobId == null && t.Status == TimerStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), cancellationToken) == 1;
    }

    /// <summary>Pending timers due by <paramref name="until"/> that have no job yet, soonest first (index on Status, DueAt).</summary>
    public async Task<IReadOnlyList<Entities.WorkflowTimer>> UnarmedAsync(DateTimeOffset until, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Timers.AsNoTracking()
            .Where(t => t.Status == TimerStatus.Pending && t.DueAt <= until && t.JobId == null)
            .OrderBy(t => t.DueAt)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Timer id → job id for the timers of <paramref name="instanceId"/> that have a job.</summary>
    public async Task<IReadOnlyDictionary<string, string>> JobIdsAsync(Guid instanceId, IReadOnlyCollection<string> timerIds, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Timers.AsNoTracking()
            .Where(t => t.InstanceId == instanceId && timerIds.Contains(t.TimerId) && t.JobId != null)
            .ToDictionaryAsync(t => t.TimerId, t => t.JobId!, cancellationToken);
    }
}
