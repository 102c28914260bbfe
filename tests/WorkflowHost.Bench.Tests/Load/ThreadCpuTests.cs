using System.Diagnostics;
using WorkflowHost.Bench.Load;

namespace WorkflowHost.Bench.Tests.Load;

public class ThreadCpuTests
{
    [Fact]
    public void A_named_thread_is_charged_its_CPU_and_the_reading_does_not_fall_when_it_ends()
    {
        var name = "bench-spin-" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reader = new ThreadCpu(Environment.ProcessId, name);
        var started = new ManualResetEventSlim();
        var stop = new ManualResetEventSlim();
        var spinner = new Thread(() =>
        {
            started.Set();
            var watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < 400)
            {
                Thread.SpinWait(1000);
            }

            stop.Wait();
        }) { Name = name, IsBackground = true };
        spinner.Start();
        started.Wait();
        Thread.Sleep(600);

        var whileAlive = reader.Read();
        stop.Set();
        spinner.Join();
        var afterEnd = reader.Read();

        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal(TimeSpan.Zero, whileAlive);
            return;
        }

        // 400 ms of spinning; the scheduler may give the thread less on a busy machine, never none.
        Assert.InRange(whileAlive.TotalMilliseconds, 50, 2_000);
        Assert.Equal(whileAlive, afterEnd);
        Assert.Equal(TimeSpan.Zero, new ThreadCpu(Environment.ProcessId, name + "-none").Read());
    }
}
