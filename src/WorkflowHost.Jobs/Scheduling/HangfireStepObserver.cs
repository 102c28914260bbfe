using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>
/// After a step commits: a delayed job for each new timer (its id stored on the timer row), the deletion of the jobs
/// of cancelled timers (found by that id, no scan), and a delivery job for each new notification. If any of this fails
/// the step stays committed and the sweep catches up.
/// </summary>
public sealed class HangfireStepObserver(
    IBackgroundJobClient jobs,
    TimerJobs timerJobs,
    NotificationOutbox outbox,
    SchedulingOptions options,
    TimeProvider time,
    ILogger<HangfireStepObserver> logger) : ICommittedStepObserver
{
    public async Task OnCommittedAsync(CommittedStep committed, CancellationToken cancellationToken)
    {
        var cancelled = committed.Effects.OfType<TimerCancelled>().Select(c => c.TimerId).ToList();
        if (cancelled.Count > 0)
        {
            foreach (var jobId in (await timerJobs.JobIdsAsync(committed.InstanceId, cancelled, cancellationToken)).Values)
            {
                jobs.Delete(jobId);
            }
        }

        // Timers further out than the horizon get their job from the sweep as they come near.
        var cancelledSet = cancelled.ToHashSet(StringComparer.Ordinal);
        var horizon = time.GetUtcNow() + options.JobHorizon;
        foreach (var scheduled in committed.Effects.OfType<TimerScheduled>().Where(t => !cancelledSet.Contains(t.TimerId) && t.DueAt <= horizon))
        {
            await ArmAsync(jobs, timerJobs, time, options.JobLead, committed.InstanceId, committed.CommunityId, scheduled.TimerId, scheduled.DueAt, cancellationToken);
        }

        var keys = committed.Effects.OfType<NotificationRequested>().Select(n => n.Key).ToList();
        foreach (var notificationId in await outbox.IdsForKeysAsync(keys, cancellationToken))
        {
            jobs.Enqueue<DeliverNotificationJob>(job => job.RunAsync(notificationId, CancellationToken.None));
        }

        logger.LogDebug("Instance {InstanceId}: {Scheduled} timers scheduled, {Cancelled} cancelled, {Notifications} notifications queued.",
            committed.InstanceId, committed.Effects.OfType<TimerScheduled>().Count(), cancelled.Count, keys.Count);
    }

    /// <summary>
    /// Creates a timer's delayed job, <paramref name="lead"/> before its due time (the job waits out the rest off the
    /// worker: <see cref="DueTimerWaits"/>), and records its id; if another host recorded one first, deletes this one.
    /// </summary>
    internal static async Task ArmAsync(IBackgroundJobClient jobs, TimerJobs timerJobs, TimeProvider time, TimeSpan lead, Guid instanceId, string communityId, string timerId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var runAt = dueAt - lead;
        var jobId = runAt <= time.GetUtcNow()
            ? jobs.Enqueue<FireTimerJob>(job => job.RunAsync(instanceId, communityId, timerId, dueAt, CancellationToken.None))
            : jobs.Schedule<FireTimerJob>(job => job.RunAsync(instanceId, communityId, timerId, dueAt, CancellationToken.None), runAt);
        if (!await timerJobs.SetJobIdAsync(instanceId, timerId, jobId, cancellationToken))
        {
            jobs.Delete(jobId);
        }
    }
}
