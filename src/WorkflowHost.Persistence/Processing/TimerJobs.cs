using Microsoft.EntityFrameworkCore;

namespace WorkflowHost.Persistence.Processing;

/// <summary>
/// The scheduler's job id on each timer row: stored after the job is created, read when the timer is cancelled, so
/// cancelling never scans the scheduler's storage.
/// </summary>
public sealed class TimerJobs(IDbContextFactory<WorkflowDbContext> contexts)
{
    public async Task SetJobIdAsync(Guid instanceId, string timerId, string jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Timers.Where(t => t.InstanceId == instanceId && t.TimerId == timerId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), cancellationToken);
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
