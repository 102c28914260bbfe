using System.Text.Json.Serialization;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// Issues the next number of a series, unique and gapless per community and year (e.g. reply numbers
/// <c>2026-0007</c>). The store allocates it in the same transaction and records it under
/// <c>activities.{id}.number</c>.
/// </summary>
public sealed record IssueNumberActivity : ActivityDefinition
{
    public const string TypeName = "issueNumber";

    /// <summary>Placeholders: <c>{year}</c> and <c>{seq}</c>, the latter optionally padded as <c>{seq:0000}</c>.</summary>
    public const string DefaultFormat = "{year}-{seq:0000}";

    [JsonIgnore]
    public override string Type => TypeName;

    public required string Series { get; init; }

    public string Format { get; init; } = DefaultFormat;

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope)
    {
        var year = scope.Context.Calendar.YearOf(scope.Now);
        scope.Emit(new NumberRequested(Id, Series, year, Format));
        scope.Complete(Outcomes.Done);
    }
}

public static class NumberFormat
{
    public static string Apply(string format, int year, long sequence)
    {
        var text = format.Replace("{year}", year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var start = text.IndexOf("{seq", StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var end = text.IndexOf('}', start);
        var pattern = text[(start + 4)..end].TrimStart(':');
        var rendered = sequence.ToString(pattern.Length == 0 ? "0" : pattern, System.Globalization.CultureInfo.InvariantCulture);
        return string.Concat(text.AsSpan(0, start), rendered, text.AsSpan(end + 1));
    }
}
