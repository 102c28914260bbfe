using Microsoft.Extensions.Time.Testing;

namespace WorkflowHost.Jobs.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers created on it (a <c>Task.Delay</c> on it is one). Code that
/// waits on another thread reads the clock and then arms a delay relative to it; a test that advances the clock between
/// the two moves the delay's end past its own advances, and nothing fires. Waiting for the count first closes that gap.
/// </summary>
public sealed class TimerCountingFakeTime(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _created;

    public int TimersCreated => Volatile.Read(ref _created);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _created);
        return timer;
    }
}
