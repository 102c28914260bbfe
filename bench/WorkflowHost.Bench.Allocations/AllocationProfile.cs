using System.Globalization;

/// <summary>Ticks summed by the type allocated, by our innermost frame, and by the innermost frame of whatever library allocated.</summary>
internal sealed class AllocationProfile(string? focus = null, int callers = 0)
{
    // Frames that only say *how* bytes were allocated (a list growing, a string built), not who wanted them.
    private static readonly string[] Helpers =
    [
        "System.Collections.", "System.String", "System.Text.StringBuilder", "System.Buffers.", "System.Array", "System.Linq.Enumerable",
        "System.Runtime.", "System.Threading.Tasks.", "System.SZArrayHelper", "System.Span", "System.Number", "System.Text.Encoding",
        "System.Text.UTF8Encoding", "System.GC", "System.Object", "?",
    ];

    private readonly Dictionary<string, long> _byType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byOurFrame = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byLibraryFrame = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byFocusedStack = new(StringComparer.Ordinal);
    private long _total;
    private int _ticks;

    public void Add(long bytes, string? type, List<string> frames)
    {
        _total += bytes;
        _ticks++;
        Add(_byType, string.IsNullOrEmpty(type) ? "(unnamed)" : type, bytes);
        Add(_byOurFrame, frames.FirstOrDefault(f => f.StartsWith("WorkflowHost.", StringComparison.Ordinal)) ?? "(no WorkflowHost frame)", bytes);
        Add(_byLibraryFrame, frames.FirstOrDefault(f => !Helpers.Any(h => f.StartsWith(h, StringComparison.Ordinal))) ?? "(helpers only)", bytes);
        var focused = focus is null ? -1 : frames.FindIndex(f => f.Contains(focus, StringComparison.Ordinal));
        if (focused >= 0)
        {
            // Innermost first, helpers left out, each frame cut to its method's name: short enough to read as one line.
            var path = frames.Take(focused + 1 + callers).Where(f => !Helpers.Any(h => f.StartsWith(h, StringComparison.Ordinal))).Select(Short);
            Add(_byFocusedStack, $"[{type}] " + string.Join(" < ", path), bytes);
        }
    }

    private static string Short(string frame)
    {
        var end = frame.IndexOf('(', StringComparison.Ordinal);
        var name = end < 0 ? frame : frame[..end];
        var parts = name.Split('.');
        return parts.Length <= 2 ? name : string.Join('.', parts[^2..]);
    }

    public void Write(TextWriter output, double votes, int rows)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_ticks} ticks, {_total / 1024.0 / votes:F1} KB per vote over {votes} votes"));
        Table(output, "by type", _byType, votes, rows);
        Table(output, "by innermost WorkflowHost frame", _byOurFrame, votes, rows);
        Table(output, "by innermost frame outside the runtime's helpers", _byLibraryFrame, votes, rows);
        if (focus is not null)
        {
            Table(output, $"stacks through {focus}", _byFocusedStack, votes, rows, cut: false);
        }
    }

    private void Table(TextWriter output, string title, Dictionary<string, long> sums, double votes, int rows, bool cut = true)
    {
        output.WriteLine();
        output.WriteLine($"-- {title}");
        foreach (var (name, bytes) in sums.OrderByDescending(s => s.Value).Take(rows))
        {
            var shown = cut && name.Length > 150 ? name[..150] : name;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / _total,5:F1} % {bytes / 1024.0 / votes,7:F1} KB/vote  {shown}"));
        }
    }

    private static void Add(Dictionary<string, long> sums, string key, long bytes) => sums[key] = sums.GetValueOrDefault(key) + bytes;
}
