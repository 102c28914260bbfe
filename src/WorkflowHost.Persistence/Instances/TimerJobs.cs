using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Queries;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The scheduler's job id on each timer row: stored after the job is created, read when the timer is cancelled, so
/// cancelling never scans the scheduler's storage. The job id's write is a prepared statement and its read a compiled
/// query (decision 175): both run after every step that schedules or cancels a timer, the deciding vote among them.
/// </summary>
public sealed class TimerJobs(IDbContextFactory<WorkflowDbContext> contexts)
{
    private static readonly CompiledPerModel<Func<WorkflowDbContext, Guid, string[], IAsyncEnumerable<TimerJob>>> JobsOf = new(() => EF.CompileAsyncQuery(
        (WorkflowDbContext db, Guid instanceId, string[] timerIds) => db.Timers.AsNoTracking()
            .Where(t => t.InstanceId == instanceId && timerIds.Contains(t.TimerId) && t.JobId != null)
            .Select(t => new TimerJob(t.TimerId, t.JobId!))));

    /// <summary>Records the job of a timer that has none yet; false if another host armed it first (or it is no longer pending).</summary>
    public async Task<bool> SetJobIdAsync(Guid instanceId, string timerId, string jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await EffectWrites.SetJobIdAsync(db, instanceId, timerId, jobId, cancellationToken) == 1;
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
        var jobs = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var job in JobsOf.For(db)(db, instanceId, timerIds as string[] ?? [.. timerIds]).WithCancellation(cancellationToken))
        {
            jobs[job.TimerId] = job.JobId;
        }

        return jobs;
    }

    private sealed record TimerJob(string TimerId, string JobId);
}
