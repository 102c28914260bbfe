using System.Globalization;

namespace WorkflowHost.Bench.Load;

/// <summary>
/// CPU time of one process's threads of a given name, from <c>/proc/PID/task/*/stat</c> (Linux only; zero elsewhere).
/// The runtime ends its tiered compiler thread when it has nothing to do and starts a new one later, so a plain sum
/// over the living threads would fall when one ends: the last reading of every thread seen is kept instead. What a
/// thread used between its last reading and its end is lost, which makes the figure a slight underestimate.
/// </summary>
internal sealed class ThreadCpu(int processId, string threadName)
{
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux the bench runs on.

    private readonly Dictionary<string, long> _lastTicks = new(StringComparer.Ordinal);

    public TimeSpan Read()
    {
        var tasks = $"/proc/{processId}/task";
        if (!OperatingSystem.IsLinux() || !Directory.Exists(tasks))
        {
            return TimeSpan.Zero;
        }

        lock (_lastTicks)
        {
            foreach (var task in Directory.EnumerateDirectories(tasks))
            {
                try
                {
                    if (!string.Equals(File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'), threadName, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    // Fields after the ")" that closes the thread's name: state is the first, utime the 12th, stime the 13th.
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    _lastTicks[Path.GetFileName(task)] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended between the listing and the read.
                }
            }

            return TimeSpan.FromSeconds(_lastTicks.Values.Sum() / TicksPerSecond);
        }
    }
}
