using System.Text.RegularExpressions;

namespace WorkflowHost.Tests.Features.Ballots;

/// <summary>One part (a request's log, a record) that differs between the two worlds, at its first differing line.</summary>
internal sealed record WorldDifference(string Key, int Line, IReadOnlyList<string> Before, string One, string Other)
{
    /// <summary>The heading: which part differs.</summary>
    public string Heading => $"{Key} differs with the choices swapped";

    /// <summary>The first differing line of each world in full, after the lines before it that both share.</summary>
    public string InFull() =>
        $"{Heading}, line {Line}:\n{string.Concat(Before.Select(b => $"  both:        {b}\n"))}  one world:   {One}\n  other world: {Other}";

    /// <summary>Shorter, for the list after the first: each line cut to 1,500 characters.</summary>
    public override string ToString() =>
        $"{Heading}:\nline {Line}:\n  one world:   {One[..Math.Min(One.Length, 1500)]}\n  other world: {Other[..Math.Min(Other.Length, 1500)]}";
}

/// <summary>
/// Compares what the two worlds of the secret-ballot leak scan let someone read, part by part in the order they were
/// read (each request's log, each answer, page or row), once what differs between any two hosts is set aside
/// (<see cref="Normaliser"/>). Both worlds must hold the same parts in the same order.
/// </summary>
internal static partial class SwappedWorldComparison
{
    public static List<WorldDifference> Compare(
        IReadOnlyList<(string Key, string Text)> one, string oneDataFolder, IReadOnlyList<(string Key, string Text)> other, string otherDataFolder)
    {
        Assert.Equal(one.Count, other.Count);
        var normalisers = (One: new Normaliser(oneDataFolder), Other: new Normaliser(otherDataFolder));
        var differences = new List<WorldDifference>();
        for (var part = 0; part < one.Count; part++)
        {
            var a = normalisers.One.Apply(part, one[part].Text);
            var b = normalisers.Other.Apply(part, other[part].Text);
            if (a != b)
            {
                differences.Add(FirstDifference(one[part].Key, a, b));
            }
        }

        return differences;
    }

    private static WorldDifference FirstDifference(string key, string a, string b)
    {
        var linesA = a.Split('\n');
        var linesB = b.Split('\n');
        var i = 0;
        while (i < Math.Min(linesA.Length, linesB.Length) && linesA[i] == linesB[i])
        {
            i++;
        }

        static string At(string[] lines, int i) => i < lines.Length ? lines[i] : "(nothing)";
        return new WorldDifference(key, i, linesA[Math.Max(0, i - 3)..i], At(linesA, i), At(linesB, i));
    }

    /// <summary>
    /// Sets aside what differs between two hosts for reasons that have nothing to do with votes: generated ids, hashes,
    /// protected tokens and the reply's verification code (keyed hashes over content that holds the instance id; the
    /// content itself is compared), the temporary data folder, and durations. The length of a request body is set aside
    /// too: the vote's own bytes, which any observer of the connection sees as well (docs/reliability.md, section 8).
    /// </summary>
    /// <remarks>
    /// An id is named after the part it first appears in and its order among the new ids there (<c>ID12.3</c>), and keeps
    /// that name wherever it appears again, in that part or any later one: an id that links a later entry to an earlier
    /// one (a choice's row to the vote that wrote it) still shows the link. Numbered over the whole run instead, one id
    /// more or less in one early part renumbered every later one, and a single difference showed as hundreds. Both
    /// namings find the two worlds equal in exactly the same cases: with every part equal so far, new ids come at the
    /// same places in both, so a name given in one world is given at the same place in the other.
    /// </remarks>
    internal sealed partial class Normaliser(string dataFolder)
    {
        private readonly Dictionary<string, string> _ids = new(StringComparer.OrdinalIgnoreCase);
        private int _part = -1;
        private int _newInPart;

        /// <summary>The text of part number <paramref name="part"/>; parts are given in order, each one once.</summary>
        public string Apply(int part, string text)
        {
            if (part != _part)
            {
                (_part, _newInPart) = (part, 0);
            }

            if (dataFolder.Length > 0)
            {
                text = text.Replace(dataFolder, "DATA", StringComparison.Ordinal);
            }

            text = Guids().Replace(text, m => _ids.TryGetValue(m.Value, out var name) ? name : _ids[m.Value] = $"ID{_part}.{++_newInPart}");
            text = Hex().Replace(text, "HEX");
            text = SpanIds().Replace(text, "00-HEX-SPAN-");
            text = Protected().Replace(text, "PROTECTED");
            text = VerificationCodes().Replace(text, "CODE");

            // The reply's QR code draws its verification link, code included: set aside like the code it encodes.
            text = QrPaths().Replace(text, "d=\"QR\"");
            text = Durations().Replace(text, "Nms");
            return RequestLength().Replace(text, "$1LENGTH");
        }

        [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
        private static partial Regex Guids();

        [GeneratedRegex("[0-9a-fA-F]{32,}")]
        private static partial Regex Hex();

        [GeneratedRegex("00-HEX-[0-9a-f]{16}-")]
        private static partial Regex SpanIds();

        [GeneratedRegex(@"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")]
        private static partial Regex VerificationCodes();

        [GeneratedRegex(@"d=""(M\d+ \d+h1v1h-1z)+""")]
        private static partial Regex QrPaths();

        [GeneratedRegex("CfDJ8[A-Za-z0-9_-]+")]
        private static partial Regex Protected();

        [GeneratedRegex(@"\d+(\.\d+)?\s?ms\b")]
        private static partial Regex Durations();

        [GeneratedRegex(@"(Request starting HTTP/\S+ POST \S+ - \S+ )\d+")]
        private static partial Regex RequestLength();
    }
}
