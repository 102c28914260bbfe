using System.Diagnostics;
using System.Globalization;

namespace WorkflowHost.Bench.Load;

/// <summary>
/// What the whole machine spent, and who spent it: every core's busy time from <c>/proc/stat</c>, the database server's
/// processes (PostgreSQL's, by name) and this driver process. The host is read on its own (<see cref="HostProcess"/>).
/// With all four, a round says what a vote costs the machine, not only the host, and so how many votes a second the
/// machine's cores could serve at most (Linux only; zero elsewhere). The database's figure is every process named
/// <c>postgres</c> on the machine, its WAL writer and checkpointer included (a vote's commit is their work too), so a
/// run meant to be read needs a server nobody else is using.
/// </summary>
internal readonly record struct MachineCpuReading(TimeSpan Busy, TimeSpan Database, TimeSpan Driver)
{
    public static MachineCpuReading operator -(MachineCpuReading after, MachineCpuReading before) =>
        new(after.Busy - before.Busy, after.Database - before.Database, after.Driver - before.Driver);
}

internal static class MachineCpu
{
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux the bench runs on.
    private const string DatabaseServer = "postgres";

    public static MachineCpuReading Read()
    {
        using var self = Process.GetCurrentProcess();
        var driver = self.TotalProcessorTime;
        if (!OperatingSystem.IsLinux())
        {
            return new MachineCpuReading(TimeSpan.Zero, TimeSpan.Zero, driver);
        }

        return new MachineCpuReading(Ticks(BusyTicks()), Ticks(DatabaseTicks()), driver);
    }

    private static TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);

    /// <summary>user + nice + system + irq + softirq + steal of the "cpu" line: everything but idle and I/O wait.</summary>
    private static long BusyTicks()
    {
        using var reader = new StreamReader("/proc/stat");
        var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => i < fields.Length ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
        return Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
    }

    /// <summary>
    /// The server's processes' own time and their ended children's (utime, stime, cutime, cstime): a backend that ends
    /// between two readings is counted in its parent's children's time, once the parent has waited for it, as
    /// PostgreSQL's postmaster does at once.
    /// </summary>
    private static long DatabaseTicks()
    {
        var total = 0L;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(folder);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                if (!stat.AsSpan(open + 1, close - open - 1).SequenceEqual(DatabaseServer))
                {
                    continue;
                }

                // Fields after the ")": state is the first, utime the 12th, stime the 13th, cutime and cstime after them.
                var fields = stat[(close + 2)..].Split(' ');
                for (var i = 11; i <= 14; i++)
                {
                    total += long.Parse(fields[i], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended between the listing and the read; its time is in its parent's children's time.
            }
        }

        return total;
    }
}
