using System.Globalization;

/// <summary>Ticks summed by the type allocated, by our innermost frame, and by the innermost frame of whatever library allocated.</summary>
internal sealed class AllocationProfile
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
    private long _total;
    private int _ticks;

    public void Add(long bytes, string? type, List<string> frames)
    {
        _total += bytes;
        _ticks++;
        Add(_byType, string.IsNullOrEmpty(type) ? "(unnamed)" : type, bytes);
        Add(_byOurFrame, frames.FirstOrDefault(f => f.StartsWith("WorkflowHost.", StringComparison.Ordinal)) ?? "(no WorkflowHost frame)", bytes);
        Add(_byLibraryFrame, frames.FirstOrDefault(f => !Helpers.Any(h => f.StartsWith(h, StringComparison.Ordinal))) ?? "(helpers only)", bytes);
    }

    public void Write(TextWriter output, double votes, int rows)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_ticks} ticks, {_total / 1024.0 / votes:F1} KB per vote over {votes} votes"));
        Table(output, "by type", _byType, votes, rows);
        Table(output, "by innermost WorkflowHost frame", _byOurFrame, votes, rows);
        Table(output, "by innermost frame outside the runtime's helpers", _byLibraryFrame, votes, rows);
    }

    private void Table(TextWriter output, string title, Dictionary<string, long> sums, double votes, int rows)
    {
        output.WriteLine();
        output.WriteLine($"-- {title}");
        foreach (var (name, bytes) in sums.OrderByDescending(s => s.Value).Take(rows))
        {
            var shown = name.Length > 150 ? name[..150] : name;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / _total,5:F1} % {bytes / 1024.0 / votes,7:F1} KB/vote  {shown}"));
        }
    }

    private static void Add(Dictionary<string, long> sums, string key, long bytes) => sums[key] = sums.GetValueOrDefault(key) + bytes;
}
