using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>
/// Every minute and once at start-up: fires every due timer that has not fired, and hands every e-mail whose turn has
/// come to delivery. It reads our own tables, never Hangfire's, so a lost job, a host that was down or a clock that
/// jumped all end here.
/// </summary>
public sealed class OverdueSweepJob(
    WorkflowQueries queries,
    WorkflowCommands commands,
    NotificationOutbox outbox,
    TimerJobs timerJobs,
    IBackgroundJobClient jobs,
    DeliverNotificationJob deliver,
    BallotDepartures departures,
    LeaveRouting leaves,
    SchedulingOptions options,
    TimeProvider time,
    ILogger<OverdueSweepJob> logger)
{
    public const string RecurringJobId = "workflow-overdue-sweep";

    [Queue(SchedulingOptions.Queue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Overdue sweep")]
    public async Task RunAsync(bool atStartup, CancellationToken cancellationToken)
    {
        var fired = 0;
        var grace = atStartup ? TimeSpan.Zero : options.SweepGrace;
        var seen = new HashSet<(Guid, string)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = await queries.DueTimersAsync(time.GetUtcNow() - grace, options.SweepBatchSize, cancellationToken);
            var fresh = due.Where(t => seen.Add((t.InstanceId, t.TimerId))).ToList();
            foreach (var timer in fresh)
            {
                try
                {
                    await commands.ResumeAsync(new ResumeCommand(timer.InstanceId, timer.CommunityId, new FireTimer(timer.TimerId)), cancellationToken);
                    fired++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One instance that cannot be resumed must not hold back every other timer; the next sweep tries again.
                    logger.LogError(e, "Sweep could not fire timer {TimerId} of {InstanceId}.", timer.TimerId, timer.InstanceId);
                }
            }

            if (due.Count < options.SweepBatchSize || fresh.Count == 0)
            {
                break;
            }
        }

        // Timers coming within the horizon get their delayed job now (most were armed at commit; these were further out).
        var armed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var unarmed = await timerJobs.UnarmedAsync(time.GetUtcNow() + options.JobHorizon, options.SweepBatchSize, cancellationToken);
            foreach (var timer in unarmed)
            {
                await HangfireStepObserver.ArmAsync(jobs, timerJobs, time, options.JobLead, timer.InstanceId, timer.CommunityId, timer.TimerId, timer.DueAt, cancellationToken);
                armed++;
            }

            if (unarmed.Count < options.SweepBatchSize)
            {
                break;
            }
        }

        // Committee departures a stopped host committed but never applied to the open ballots (decision 112).
        var departed = await departures.SweepAsync(cancellationToken);

        // Tasks open when a leave started, on the leave's first day (decision 132).
        var routed = await leaves.ApplyAsync(cancellationToken: cancellationToken);

        var delivered = 0;
        foreach (var notificationId in await outbox.DueAsync(options.SweepBatchSize, cancellationToken))
        {
            await deliver.RunAsync(notificationId, cancellationToken);
            delivered++;
        }

        if (fired + armed + delivered + departed + routed > 0)
        {
            logger.LogInformation("Overdue sweep{AtStartup}: {Fired} timers fired, {Armed} armed, {Delivered} deliveries attempted, {Departed} departures applied, {Routed} cases' tasks moved for a leave.",
                atStartup ? " at start-up" : "", fired, armed, delivered, departed, routed);
        }
    }
}
