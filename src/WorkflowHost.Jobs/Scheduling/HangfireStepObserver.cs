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
        // One pass over the effects, a list made only for what the step has (issue 18: LINQ over the effects, and the
        // debug line's arguments boxed whether or not it was written, were most of this observer's allocation).
        List<string>? cancelled = null;
        List<string>? keys = null;
        var scheduled = 0;
        foreach (var effect in committed.Effects)
        {
            switch (effect)
            {
                case TimerCancelled c:
                    (cancelled ??= []).Add(c.TimerId);
                    break;
                case TimerScheduled:
                    scheduled++;
                    break;
                case NotificationRequested n:
                    (keys ??= []).Add(n.Key);
                    break;
            }
        }

        if (cancelled is not null)
        {
            foreach (var jobId in (await timerJobs.JobIdsAsync(committed.InstanceId, cancelled, cancellationToken)).Values)
            {
                jobs.Delete(jobId);
            }
        }

        // Timers further out than the horizon get their job from the sweep as they come near.
        if (scheduled > 0)
        {
            var horizon = time.GetUtcNow() + options.JobHorizon;
            foreach (var effect in committed.Effects)
            {
                if (effect is TimerScheduled timer && timer.DueAt <= horizon && cancelled?.Contains(timer.TimerId) != true)
                {
                    await ArmAsync(jobs, timerJobs, time, options.JobLead, committed.InstanceId, committed.CommunityId, timer.TimerId, timer.DueAt, cancellationToken);
                }
            }
        }

        if (keys is not null)
        {
            foreach (var notificationId in await outbox.IdsForKeysAsync(keys, cancellationToken))
            {
                jobs.Enqueue<DeliverNotificationJob>(job => job.RunAsync(notificationId, CancellationToken.None));
            }
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Instance {InstanceId}: {Scheduled} timers scheduled, {Cancelled} cancelled, {Notifications} notifications queued.",
                committed.InstanceId, scheduled, cancelled?.Count ?? 0, keys?.Count ?? 0);
        }
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
