using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>
/// Timers whose delayed job ran before their due time wait here, in memory, until it, and fire then; the Hangfire worker
/// that ran the job is free at once (docs/decisions/0149). A job runs early by design: it is scheduled
/// <see cref="SchedulingOptions.JobLead"/> ahead, so that Hangfire's own delays (its schedule poll, and on PostgreSQL
/// the one-second retry of a job's state lock) pass before the due time rather than after it. Waiting on the worker
/// instead would hold one of the few workers for the whole lead. A wait lost with the process (a stop, a crash) is the
/// sweep's: the start-up sweep and the minute sweep fire every due timer that has not fired.
/// </summary>
public sealed class DueTimerWaits(WorkflowCommands commands, TimeProvider time, ILogger<DueTimerWaits> logger) : IAsyncDisposable, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _waiting = new();
    private long _next;

    /// <summary>How many timers wait now.</summary>
    public int Count => _waiting.Count;

    /// <summary>Fires the timer at its due time, without blocking the caller.</summary>
    public void Hold(Guid instanceId, string communityId, string timerId, DateTimeOffset dueAt)
    {
        var id = Interlocked.Increment(ref _next);
        var waiting = FireAtAsync(id, instanceId, communityId, timerId, dueAt);
        _waiting[id] = waiting;
        if (waiting.IsCompleted)
        {
            _waiting.TryRemove(id, out _); // it ended before it was added: its own removal came first
        }
    }

    /// <summary>
    /// Waits until the wall clock has passed <paramref name="dueAt"/>. A delay runs on the monotonic clock and may end a
    /// little before the wall clock reaches the due time, and the store refuses an early firing: hence the loop.
    /// </summary>
    public static async Task UntilAsync(DateTimeOffset dueAt, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var early = dueAt - time.GetUtcNow(); early > TimeSpan.Zero; early = dueAt - time.GetUtcNow())
        {
            await Task.Delay(early + TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }
    }

    private async Task FireAtAsync(long id, Guid instanceId, string communityId, string timerId, DateTimeOffset dueAt)
    {
        try
        {
            await Task.Yield(); // the caller (a Hangfire worker) returns now
            await UntilAsync(dueAt, time, _stopping.Token);
            var result = await commands.ResumeAsync(new ResumeCommand(instanceId, communityId, new FireTimer(timerId)), _stopping.Token);
            if (!result.Succeeded)
            {
                logger.LogDebug("Timer {TimerId} of {InstanceId} did not fire: {Reason}", timerId, instanceId, result.Message);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The host is stopping: the next start-up sweep fires it.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Timer {TimerId} of {InstanceId} could not fire; the sweep will.", timerId, instanceId);
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    /// <summary>Ends the waits, and waits for those already firing to finish their step.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_waiting.Values);
        _stopping.Dispose();
    }

    /// <summary>A container disposed synchronously (a host's Dispose) ends the waits without waiting for them.</summary>
    public void Dispose() => _stopping.Cancel();
}
