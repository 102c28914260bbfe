using System.Buffers;
using System.Runtime.InteropServices;
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
/// bytes, as the serialiser parses them. A span with the same text as the one the object was last made from gets a new
/// object over that earlier parse, which is what parsing it again would give (decision 187).</item>
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
        var (input, variables) = JsonObjectsOf(utf8, written.ObjectsParsedFrom ??= new Parses());
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

    /// <summary>
    /// The documents <see cref="AsParsed"/> last made a state's <see cref="InstanceState.Input"/> and
    /// <see cref="InstanceState.Variables"/> from. Never disposed, so their text stays readable as long as they are held.
    /// </summary>
    internal sealed class Parses
    {
        public JsonElement? Input { get; set; }

        public JsonElement? Variables { get; set; }
    }

    /// <summary>The state's two JSON objects, made from their spans of the whole state's bytes.</summary>
    private static (JsonObject? Input, JsonObject? Variables) JsonObjectsOf(ReadOnlySpan<byte> utf8, Parses parses)
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
                var text = utf8[start..(int)reader.BytesConsumed];
                if (isInput)
                {
                    parses.Input = ParseOf(text, parses.Input);
                    input = JsonObject.Create(parses.Input.Value, NodeOptions);
                }
                else
                {
                    parses.Variables = ParseOf(text, parses.Variables);
                    variables = JsonObject.Create(parses.Variables.Value, NodeOptions);
                }
            }
        }

        return (input, variables);
    }

    /// <summary>
    /// The earlier parse when it was made from this very text, otherwise a new one, made as the serialiser makes it. An object
    /// made over the earlier parse is what a new parse would give: the parse never changes, and an object made over it starts
    /// from its text, whatever the step did to the object it had. Most votes change neither object, and a parse of them was
    /// about 2 KB a vote (docs/benchmarks.md section 24c).
    /// </summary>
    private static JsonElement ParseOf(ReadOnlySpan<byte> text, JsonElement? earlier)
    {
        if (earlier is { } element && JsonMarshal.GetRawUtf8Value(element).SequenceEqual(text))
        {
            return element;
        }

        var reader = new Utf8JsonReader(text);
        return JsonElement.ParseValue(ref reader);
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

        // Every vote compacts the ballot's votes and totals: the entries wait in a pooled buffer rather than a new array.
        var count = dictionary.Count;
        var entries = ArrayPool<KeyValuePair<string, TValue>>.Shared.Rent(count);
        ((ICollection<KeyValuePair<string, TValue>>)dictionary).CopyTo(entries, 0);
        dictionary.Clear();
        foreach (var (key, value) in entries.AsSpan(0, count))
        {
            dictionary.Add(key, value);
        }

        ArrayPool<KeyValuePair<string, TValue>>.Shared.Return(entries, clearArray: true);
    }

    /// <summary>What the serialiser gives the JSON objects it reads with <see cref="EngineJson.Options"/>.</summary>
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = EngineJson.Options.PropertyNameCaseInsensitive };
}
