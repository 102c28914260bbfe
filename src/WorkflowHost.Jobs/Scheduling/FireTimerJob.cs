using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>
/// A timer's delayed job: tells the instance its timer fell due. Idempotent: a timer that already fired (by the sweep,
/// by another host, or because its step closed) is refused by the engine and its row is left settled.
/// </summary>
public sealed class FireTimerJob(WorkflowCommands commands, TimeProvider time, ILogger<FireTimerJob> logger)
{
    [Queue(SchedulingOptions.Queue)]
    [AutomaticRetry(Attempts = 0)] // the sweep is the retry: it fires any due timer that has not fired
    [JobDisplayName("Fire timer {2}")]
    public async Task RunAsync(Guid instanceId, string communityId, string timerId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        // Hangfire keeps schedule times in whole seconds and may start a job up to a second early: a deadline must not
        // close a ballot before its time, so wait out the rest (the store refuses an early firing in any case).
        // A delay runs on the monotonic clock and may end a little before the wall clock reaches the due time: loop.
        for (var early = dueAt - time.GetUtcNow(); early > TimeSpan.Zero; early = dueAt - time.GetUtcNow())
        {
            await Task.Delay(early + TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }

        var result = await commands.ResumeAsync(new ResumeCommand(instanceId, communityId, new FireTimer(timerId)), cancellationToken);
        if (!result.Succeeded)
        {
            logger.LogDebug("Timer {TimerId} of {InstanceId} did not fire: {Reason}", timerId, instanceId, result.Message);
        }
    }
}
