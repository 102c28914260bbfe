using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>One broken copy of a definition file and how it was broken (to reproduce it: the same file, the same seed).</summary>
internal sealed record Mutant(string Operator, string Description, byte[] Bytes);

/// <summary>
/// Breaks a valid definition file the ways people and tools break JSON: deleted fields, wrong types, unknown activity
/// types, cycles with no exit, huge numbers, deep nesting, huge strings, duplicated keys and array items, invalid
/// UTF-8, truncation and stray bytes. One <see cref="Random"/> seed gives one mutant, always the same.
/// </summary>
internal sealed class DefinitionMutator(byte[] original)
{
    /// <summary>A string a tree mutation puts in place of a value; after serialising it is replaced by raw JSON text.</summary>
    private const string RawMarker = "\u0001raw\u0001";

    private static readonly string[] Operators =
    [
        "delete-property", "wrong-type", "unknown-activity-type", "cycle-without-exit", "huge-number", "deep-nesting",
        "huge-string", "odd-text", "duplicate-key", "duplicate-item", "remove-item", "empty-container", "swap-values",
        "rename-key", "invalid-utf8", "truncate", "stray-byte", "several",
    ];

    private readonly JsonObject template = JsonNode.Parse(original)!.AsObject();

    public Mutant Next(Random random)
    {
        var op = Operators[random.Next(Operators.Length)];
        return op switch
        {
            "invalid-utf8" => InvalidUtf8(random),
            "truncate" => Truncate(random),
            "stray-byte" => StrayByte(random),
            "duplicate-key" => DuplicateKey(random),
            "several" => Several(random),
            _ => TreeMutant(op, random, 1),
        };
    }

    private Mutant Several(Random random)
    {
        var treeOperators = Operators.Where(o => o is not ("invalid-utf8" or "truncate" or "stray-byte" or "duplicate-key" or "several")).ToArray();
        var root = Clone();
        var raw = new List<string>();
        var notes = new List<string>();
        for (var i = random.Next(2, 6); i > 0; i--)
        {
            try
            {
                notes.Add(Mutate(treeOperators[random.Next(treeOperators.Length)], root, random, raw));
            }
            catch (NothingToMutateException)
            {
                notes.Add("nothing left to mutate");
            }
        }

        return new Mutant("several", string.Join("; ", notes), Serialise(root, raw));
    }

    private Mutant TreeMutant(string op, Random random, int times)
    {
        var root = Clone();
        var raw = new List<string>();
        var notes = Enumerable.Range(0, times).Select(_ => Mutate(op, root, random, raw)).ToList();
        return new Mutant(op, string.Join("; ", notes), Serialise(root, raw));
    }

    private JsonObject Clone() => template.DeepClone().AsObject();

    private static string Mutate(string op, JsonObject root, Random random, List<string> raw) => op switch
    {
        "delete-property" => DeleteProperty(root, random),
        "wrong-type" => WrongType(root, random),
        "unknown-activity-type" => UnknownActivityType(root, random),
        "cycle-without-exit" => CycleWithoutExit(root, random),
        "huge-number" => HugeNumber(root, random, raw),
        "deep-nesting" => DeepNesting(root, random, raw),
        "huge-string" => HugeString(root, random),
        "odd-text" => OddText(root, random),
        "duplicate-item" => DuplicateItem(root, random),
        "remove-item" => RemoveItem(root, random),
        "empty-container" => EmptyContainer(root, random),
        "swap-values" => SwapValues(root, random),
        "rename-key" => RenameKey(root, random),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a tree mutation"),
    };

    private static string DeleteProperty(JsonObject root, Random random)
    {
        var target = Pick(Nodes(root).OfType<JsonObject>().Where(o => o.Count > 0).ToList(), random);
        var key = target.ElementAt(random.Next(target.Count)).Key;
        target.Remove(key);
        return $"deleted {target.GetPath()}.{key}";
    }

    private static string WrongType(JsonObject root, Random random)
    {
        var node = Pick(Nodes(root).Skip(1).ToList(), random);
        JsonNode? replacement = random.Next(9) switch
        {
            0 => JsonValue.Create("text"),
            1 => JsonValue.Create(0),
            2 => JsonValue.Create(-1),
            3 => JsonValue.Create(true),
            4 => (JsonNode?)null,
            5 => new JsonArray(),
            6 => new JsonObject(),
            7 => JsonValue.Create(1.5),
            _ => new JsonArray(JsonValue.Create("x"), JsonValue.Create(1), null),
        };
        var path = node!.GetPath();
        Replace(node, replacement);
        return $"{path} := {replacement?.ToJsonString() ?? "null"}";
    }

    private static string UnknownActivityType(JsonObject root, Random random)
    {
        var activity = Pick(Activities(root), random);
        string[] names = ["vote", "", "HumanTask", "humanTask ", "end\u0000", "ballot2", "human_task", "大党委", new string('t', 5000)];
        JsonNode? type = random.Next(5) == 0 ? JsonValue.Create(42) : JsonValue.Create(names[random.Next(names.Length)]);
        activity["type"] = type;
        return $"{activity.GetPath()}.type := {Shorten(type?.ToJsonString())}";
    }

    /// <summary>Sends the flow back where it came from, or cuts every way out to an end.</summary>
    private static string CycleWithoutExit(JsonObject root, Random random)
    {
        var transitions = root["transitions"] as JsonArray;
        if (transitions is null || transitions.Count == 0)
        {
            return "no transitions to loop";
        }

        var ids = Activities(root).Select(a => a["id"]?.ToString()).OfType<string>().ToList();
        var ends = Activities(root).Where(a => a["type"]?.ToString() == "end").Select(a => a["id"]?.ToString()).ToHashSet();
        switch (random.Next(3))
        {
            case 0:
                var transition = Pick(transitions.OfType<JsonObject>().ToList(), random);
                transition["to"] = transition["from"]?.DeepClone();
                return $"{transition.GetPath()} loops to itself";
            case 1:
                foreach (var toEnd in transitions.OfType<JsonObject>().Where(t => ends.Contains(t["to"]?.ToString())))
                {
                    toEnd["to"] = ids.Count > 0 ? ids[random.Next(ids.Count)] : "nowhere";
                }

                return "every transition into an end redirected";
            default:
                var first = Pick(transitions.OfType<JsonObject>().ToList(), random);
                first["to"] = root["start"]?.DeepClone();
                return $"{first.GetPath()} leads back to the start";
        }
    }

    private static string HugeNumber(JsonObject root, Random random, List<string> raw)
    {
        string[] numbers =
        [
            "1e308", "-1e308", "1e999", "-1e999", "99999999999999999999999999999999999999", "2147483648", "-2147483649",
            "9223372036854775808", "1e-400", "-0", "0.0000000000000000000000000001", "1.5", "123456789012345678901234567890.5",
            "4294967296", "-1", "0", "1" + new string('0', 5000),
        ];
        var numeric = Nodes(root).Where(n => n?.GetValueKind() == JsonValueKind.Number).ToList();
        var node = numeric.Count > 0 && random.Next(4) > 0 ? Pick(numeric, random) : Pick(Nodes(root).Skip(1).ToList(), random);
        var text = numbers[random.Next(numbers.Length)];
        var path = node!.GetPath();
        Replace(node, Raw(raw, text));
        return $"{path} := {Shorten(text)}";
    }

    private static string DeepNesting(JsonObject root, Random random, List<string> raw)
    {
        var node = Pick(Nodes(root).Skip(1).ToList(), random);
        var depth = random.Next(5) == 0 ? random.Next(1000, 100_000) : random.Next(2, 80);
        var arrays = random.Next(2) == 0;
        var text = arrays
            ? new string('[', depth) + "1" + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        var path = node!.GetPath();
        Replace(node, Raw(raw, text));
        return $"{path} := {(arrays ? "arrays" : "objects")} nested {depth} deep";
    }

    private static string HugeString(JsonObject root, Random random)
    {
        var strings = Nodes(root).Where(n => n?.GetValueKind() == JsonValueKind.String).ToList();
        var node = Pick(strings, random);
        var length = random.Next(3) switch { 0 => random.Next(500, 70_000), 1 => random.Next(70_000, 600_000), _ => 1_100_000 };
        var fill = random.Next(2) == 0 ? 'x' : '长';
        var path = node!.GetPath();
        Replace(node, JsonValue.Create(new string(fill, length)));
        return $"{path} := {length} × '{fill}'";
    }

    /// <summary>Texts that are valid JSON strings but odd: control characters, lone surrogates, markup, right-to-left marks.</summary>
    private static string OddText(JsonObject root, Random random)
    {
        string[] texts =
        [
            "", " ", "\u0000", "\t\r\n", "\ud800", "\udfff x", "<script>alert(1)</script>", "'; DROP TABLE instances; --",
            "\u202eevil", "a\u0000b", "$.activities[0]", "{}", "..", "a.b", "\uffff", "🙂", "A", "UPPER-CASE",
        ];
        var node = Pick(Nodes(root).Where(n => n?.GetValueKind() == JsonValueKind.String).ToList(), random);
        var text = texts[random.Next(texts.Length)];
        var path = node!.GetPath();
        Replace(node, JsonValue.Create(text));
        return $"{path} := {JsonSerializer.Serialize(text)}";
    }

    private static string DuplicateItem(JsonObject root, Random random)
    {
        var array = Pick(Nodes(root).OfType<JsonArray>().Where(a => a.Count > 0).ToList(), random);
        var item = array[random.Next(array.Count)];
        array.Insert(random.Next(array.Count + 1), item?.DeepClone());
        return $"an item of {array.GetPath()} duplicated";
    }

    private static string RemoveItem(JsonObject root, Random random)
    {
        var array = Pick(Nodes(root).OfType<JsonArray>().Where(a => a.Count > 0).ToList(), random);
        var at = random.Next(array.Count);
        array.RemoveAt(at);
        return $"{array.GetPath()}[{at}] removed";
    }

    private static string EmptyContainer(JsonObject root, Random random)
    {
        var node = Pick(Nodes(root).Skip(1).Where(n => n is JsonArray or JsonObject).ToList(), random);
        var path = node!.GetPath();
        Replace(node, node is JsonArray ? new JsonArray() : new JsonObject());
        return $"{path} emptied";
    }

    private static string SwapValues(JsonObject root, Random random)
    {
        var values = Nodes(root).Skip(1).OfType<JsonValue>().ToList();
        var a = Pick(values, random);
        var b = Pick(values, random);
        var (pathA, pathB) = (a.GetPath(), b.GetPath());
        var (copyA, copyB) = (a.DeepClone(), b.DeepClone());
        Replace(a, copyB);
        Replace(b, copyA);
        return $"{pathA} and {pathB} swapped";
    }

    private static string RenameKey(JsonObject root, Random random)
    {
        var target = Pick(Nodes(root).OfType<JsonObject>().Where(o => o.Count > 0).ToList(), random);
        var (key, value) = target.ElementAt(random.Next(target.Count));
        string[] renamed = [key.ToUpperInvariant(), key + "s", key[..^1], "$type", "", " " + key, key.Replace('-', '_')];
        var newKey = renamed[random.Next(renamed.Length)];
        target.Remove(key);
        if (!target.ContainsKey(newKey))
        {
            target[newKey] = value;
        }

        return $"{target.GetPath()}.{key} renamed '{newKey}'";
    }

    /// <summary>Writes the tree with one object's property written twice (the second with another value, sometimes).</summary>
    private Mutant DuplicateKey(Random random)
    {
        var root = Clone();
        var objects = Nodes(root).OfType<JsonObject>().Where(o => o.Count > 0).ToList();
        var target = Pick(objects, random);
        var key = target.ElementAt(random.Next(target.Count)).Key;
        var other = random.Next(2) == 0;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, MaxDepth = 200_000 }))
        {
            Write(writer, root, target, key, other);
        }

        return new Mutant("duplicate-key", $"{target.GetPath()}.{key} written twice{(other ? " with another value" : "")}", buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node, JsonObject twice, string key, bool otherValue)
    {
        if (node is JsonObject obj)
        {
            writer.WriteStartObject();
            foreach (var (name, value) in obj)
            {
                writer.WritePropertyName(name);
                Write(writer, value, twice, key, otherValue);
                if (ReferenceEquals(obj, twice) && name == key)
                {
                    writer.WritePropertyName(name);
                    if (otherValue)
                    {
                        writer.WriteStringValue("duplicate");
                    }
                    else
                    {
                        Write(writer, value, twice, key, otherValue);
                    }
                }
            }

            writer.WriteEndObject();
        }
        else if (node is JsonArray array)
        {
            writer.WriteStartArray();
            foreach (var item in array)
            {
                Write(writer, item, twice, key, otherValue);
            }

            writer.WriteEndArray();
        }
        else if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    private Mutant InvalidUtf8(Random random)
    {
        byte[][] sequences = [[0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80]];
        var bytes = original.ToList();
        var sequence = sequences[random.Next(sequences.Length)];
        var at = random.Next(bytes.Count + 1);
        bytes.InsertRange(at, sequence);
        return new Mutant("invalid-utf8", $"{Convert.ToHexString(sequence)} inserted at byte {at}", [.. bytes]);
    }

    private Mutant Truncate(Random random)
    {
        var at = random.Next(original.Length);
        return new Mutant("truncate", $"cut after {at} bytes", original[..at]);
    }

    private Mutant StrayByte(Random random)
    {
        var bytes = original.ToList();
        var at = random.Next(bytes.Count);
        var stray = "{}[],:\"\\0-e.tn \u0000/*"u8.ToArray();
        var b = stray[random.Next(stray.Length)];
        switch (random.Next(3))
        {
            case 0:
                bytes.Insert(at, b);
                return new Mutant("stray-byte", $"'{(char)b}' inserted at byte {at}", [.. bytes]);
            case 1:
                bytes.RemoveAt(at);
                return new Mutant("stray-byte", $"byte {at} deleted", [.. bytes]);
            default:
                bytes[at] = b;
                return new Mutant("stray-byte", $"byte {at} := '{(char)b}'", [.. bytes]);
        }
    }

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Serialise(JsonObject root, List<string> raw)
    {
        var text = root.ToJsonString(Readable);
        for (var i = 0; i < raw.Count; i++)
        {
            text = text.Replace(JsonSerializer.Serialize(RawMarker + i, Readable), raw[i], StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private static JsonValue Raw(List<string> raw, string text)
    {
        raw.Add(text);
        return JsonValue.Create(RawMarker + (raw.Count - 1));
    }

    private static void Replace(JsonNode node, JsonNode? replacement)
    {
        switch (node.Parent)
        {
            case JsonObject parent:
                parent[node.GetPropertyName()] = replacement;
                break;
            case JsonArray parent:
                parent[node.GetElementIndex()] = replacement;
                break;
        }
    }

    private static List<JsonObject> Activities(JsonObject root) =>
        (root["activities"] as JsonArray)?.OfType<JsonObject>().ToList() is { Count: > 0 } list ? list : [root];

    /// <summary>Every node of the tree, root first (nulls included, as they can be replaced too).</summary>
    private static List<JsonNode?> Nodes(JsonNode root)
    {
        var nodes = new List<JsonNode?>();
        var stack = new Stack<JsonNode>();
        stack.Push(root);
        while (stack.TryPop(out var node))
        {
            nodes.Add(node);
            var children = node switch
            {
                JsonObject obj => obj.Select(p => p.Value),
                JsonArray array => array,
                _ => [],
            };
            foreach (var child in children)
            {
                if (child is null)
                {
                    continue;
                }

                stack.Push(child);
            }
        }

        return nodes;
    }

    private static T Pick<T>(IReadOnlyList<T> items, Random random) =>
        items.Count > 0 ? items[random.Next(items.Count)] : throw new NothingToMutateException();

    private static string Shorten(string? text) => text is null ? "null" : text.Length <= 40 ? text : $"{text[..40]}… ({text.Length} chars)";
}

/// <summary>Earlier mutations left nothing of the kind the next one needs.</summary>
internal sealed class NothingToMutateException : Exception;
