using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>
/// A timer's delayed job: tells the instance its timer fell due. Idempotent: a timer that already fired (by the sweep,
/// by another host, or because its step closed) is refused by the engine and its row is left settled. The job runs up
/// to <see cref="SchedulingOptions.JobLead"/> (plus Hangfire's whole second) before the due time: a deadline must not
/// close a ballot before its time, so an early job hands its timer to <see cref="DueTimerWaits"/> and frees the worker.
/// </summary>
public sealed class FireTimerJob(WorkflowCommands commands, DueTimerWaits waits, TimeProvider time, ILogger<FireTimerJob> logger)
{
    [Queue(SchedulingOptions.Queue)]
    [AutomaticRetry(Attempts = 0)] // the sweep is the retry: it fires any due timer that has not fired
    [JobDisplayName("Fire timer {2}")]
    public async Task RunAsync(Guid instanceId, string communityId, string timerId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        if (dueAt > time.GetUtcNow())
        {
            waits.Hold(instanceId, communityId, timerId, dueAt);
            return;
        }

        var result = await commands.ResumeAsync(new ResumeCommand(instanceId, communityId, new FireTimer(timerId)), cancellationToken);
        if (!result.Succeeded)
        {
            logger.LogDebug("Timer {TimerId} of {InstanceId} did not fire: {Reason}", timerId, instanceId, result.Message);
        }
    }
}
