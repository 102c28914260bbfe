using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// A test on instance data. Either a comparison of one <see cref="Field"/> (a dotted path such as
/// <c>input.kind</c> or <c>activities.committee-ballot.outcome</c>) with exactly one operator, or a combination
/// with <see cref="All"/> / <see cref="Any"/>.
/// </summary>
public sealed record Condition
{
    public static readonly IReadOnlyList<string> FieldRoots = ["input", "activities", "initiator"];

    public string? Field { get; init; }

    public JsonElement? EqualTo { get; init; }

    public JsonElement? NotEqualTo { get; init; }

    public IReadOnlyList<JsonElement>? In { get; init; }

    public decimal? GreaterThan { get; init; }

    public decimal? AtLeast { get; init; }

    public decimal? LessThan { get; init; }

    public decimal? AtMost { get; init; }

    public bool? Exists { get; init; }

    public IReadOnlyList<Condition>? All { get; init; }

    public IReadOnlyList<Condition>? Any { get; init; }

    public int OperatorsSet =>
        new object?[] { EqualTo, NotEqualTo, In, GreaterThan, AtLeast, LessThan, AtMost, Exists }.Count(o => o is not null);

    public bool Holds(JsonObject data)
    {
        if (All is not null)
        {
            return All.All(c => c.Holds(data));
        }

        if (Any is not null)
        {
            return Any.Any(c => c.Holds(data));
        }

        var value = Resolve(data, Field!);
        if (Exists is { } exists)
        {
            return (value is not null) == exists;
        }

        if (EqualTo is { } equal)
        {
            return SameValue(value, equal);
        }

        if (NotEqualTo is { } notEqual)
        {
            return !SameValue(value, notEqual);
        }

        if (In is not null)
        {
            return In.Any(candidate => SameValue(value, candidate));
        }

        if (!EngineJson.TryGetDecimal(value, out var n))
        {
            return false;
        }

        return GreaterThan is { } gt ? n > gt
            : AtLeast is { } ge ? n >= ge
            : LessThan is { } lt ? n < lt
            : n <= AtMost!.Value;
    }

    // A whole-number segment indexes an array: activities.record-resolution.data.actions.0 exists when the list is not empty.
    private static JsonNode? Resolve(JsonObject data, string path) => DataPath.Resolve(data, path);

    private static bool SameValue(JsonNode? actual, JsonElement expected) =>
        actual is not null
            ? JsonNode.DeepEquals(actual, JsonNode.Parse(expected.GetRawText()))
            : expected.ValueKind == JsonValueKind.Null;
}
