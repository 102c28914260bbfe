using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// A state a host wrote and kept in memory, made ready for the next step on that instance to run on it in place of a
/// state parsed from the same bytes (decision 170). The object after a step differs from a parse of what it serialised to
/// in ways the next step could see, so those parts are brought back to what a parse gives:
/// <list type="bullet">
/// <item>The JSON objects (<see cref="InstanceState.Input"/>, <see cref="InstanceState.Variables"/>) may hold values made
/// in code (an <c>int</c> total, a <c>DateTimeOffset</c>) that read differently from parsed ones, and objects made without
/// the case-insensitive names of <see cref="EngineJson.Options"/>: they are parsed again from their own span of the written
/// bytes, as the serialiser parses them.</item>
/// <item>A dictionary that had an entry removed puts the next new entry in the freed slot, where a parsed one appends it:
/// the order they serialise in would part. They are compacted into their current order.</item>
/// </list>
/// Everything else already equals its parse: lists keep their order through removals and no two parts of a state share a
/// list; records are immutable; strings in a written state are valid UTF-16 (the serialiser refuses a lone surrogate) and
/// times keep their offset and ticks through the text. <c>WrittenStateTests</c> and the persistence fuzz test check it.
/// </summary>
public static class WrittenState
{
    /// <summary>
    /// Prepares <paramref name="written"/>, which serialised to <paramref name="utf8"/>, for the next step, in place; the
    /// caller hands it over to that step alone (the engine changes it).
    /// </summary>
    public static InstanceState AsParsed(InstanceState written, ReadOnlySpan<byte> utf8)
    {
        var (input, variables) = JsonObjectsOf(utf8);
        written.Input = input ?? Reparsed(written.Input);
        written.Variables = variables ?? Reparsed(written.Variables);
        Compact(written.JoinArrivals);
        foreach (var bookmark in written.Bookmarks)
        {
            if (bookmark.Ballot is { } ballot)
            {
                Compact(ballot.Totals);
                Compact(ballot.OpenVotes);
            }
        }

        return written;
    }

    /// <summary>The state's two JSON objects, parsed from their spans of the whole state's bytes.</summary>
    private static (JsonObject? Input, JsonObject? Variables) JsonObjectsOf(ReadOnlySpan<byte> utf8)
    {
        JsonObject? input = null, variables = null;
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (null, null);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isInput = reader.ValueTextEquals("input"u8);
            var isVariables = !isInput && reader.ValueTextEquals("variables"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if ((isInput || isVariables) && reader.TokenType == JsonTokenType.EndObject)
            {
                var parsed = JsonNode.Parse(utf8[start..(int)reader.BytesConsumed], NodeOptions)!.AsObject();
                (input, variables) = isInput ? (parsed, variables) : (input, parsed);
            }
        }

        return (input, variables);
    }

    /// <summary>Not met with bytes the state serialiser wrote; there as a fallback that is still a parse.</summary>
    private static JsonObject Reparsed(JsonObject node) => JsonNode.Parse(node.ToJsonString(EngineJson.Options), NodeOptions)!.AsObject();

    /// <summary>Clears the free slots a removal left, keeping the entries in the order they enumerate (and serialise) in.</summary>
    private static void Compact<TValue>(Dictionary<string, TValue> dictionary)
    {
        if (dictionary.Count == 0)
        {
            dictionary.Clear();
            return;
        }

        var entries = dictionary.ToArray();
        dictionary.Clear();
        foreach (var (key, value) in entries)
        {
            dictionary.Add(key, value);
        }
    }

    /// <summary>What the serialiser gives the JSON objects it reads with <see cref="EngineJson.Options"/>.</summary>
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = EngineJson.Options.PropertyNameCaseInsensitive };
}
