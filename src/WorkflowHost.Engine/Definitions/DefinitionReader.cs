using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Definitions;

/// <summary>
/// Turns a definition file into a validated <see cref="WorkflowDefinition"/>, or a <see cref="DefinitionException"/>
/// whose errors name the file, the JSON path and the reason. Nothing half-read ever escapes.
/// </summary>
public static class DefinitionReader
{
    /// <summary>Larger files are refused before parsing; a process definition is a few kilobytes.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Building the rules costs far more than running them; a built validator is immutable and thread-safe.</summary>
    private static readonly DefinitionValidator Validator = new();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        MaxDepth = 32,
    };

    public static IReadOnlyList<WorkflowDefinition> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DefinitionException([new DefinitionError(directory, "$", "the workflows folder does not exist")]);
        }

        var definitions = new List<(string File, WorkflowDefinition Definition)>();
        var errors = new List<DefinitionError>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                definitions.Add((Path.GetFileName(file), Read(Path.GetFileName(file), File.ReadAllBytes(file))));
            }
            catch (DefinitionException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        foreach (var duplicate in definitions.GroupBy(d => d.Definition.Id).Where(g => g.Count() > 1))
        {
            errors.AddRange(duplicate.Select(d => new DefinitionError(d.File, "$.id",
                $"the id '{duplicate.Key}' is also used by {string.Join(", ", duplicate.Where(o => o.File != d.File).Select(o => o.File))}")));
        }

        return errors.Count > 0 ? throw new DefinitionException(errors) : [.. definitions.Select(d => d.Definition)];
    }

    public static WorkflowDefinition Read(string fileName, string json) => Read(fileName, Encoding.UTF8.GetBytes(json));

    public static WorkflowDefinition Read(string fileName, byte[] utf8) => Read(fileName, utf8, stored: false);

    /// <summary>
    /// Reads back a revision the host stored when it loaded it. It was valid then; rules added since must not strand the
    /// instances running on it, so it is read leniently and not validated again.
    /// </summary>
    public static WorkflowDefinition ReadStored(string sourceJson) => Read("stored revision", Encoding.UTF8.GetBytes(sourceJson), stored: true);

    private static WorkflowDefinition Read(string fileName, byte[] utf8, bool stored)
    {
        DefinitionException Fail(string path, string reason) => new([new DefinitionError(fileName, path, reason)]);

        // The limit is on files. A stored revision is this reader's own canonical form, which escapes non-ASCII text and
        // so can be several times larger than the file it came from: it must read back whatever its size.
        if (!stored && utf8.Length > MaxFileBytes)
        {
            throw Fail("$", $"the file is larger than {MaxFileBytes} bytes");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(utf8).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw Fail("$", $"the file is not valid UTF-8 (byte {e.Index})");
        }

        JsonNode? root;
        try
        {
            CheckDuplicateKeys(fileName, text);
            root = JsonNode.Parse(text, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            throw Fail("$", $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {FirstSentence(e.Message)}");
        }

        if (root is not JsonObject rootObject)
        {
            throw Fail("$", "a definition is a JSON object");
        }

        CheckActivityTypes(fileName, rootObject);

        var canonical = Canonical(rootObject)!.ToJsonString();
        WorkflowDefinition definition;
        try
        {
            definition = rootObject.Deserialize<WorkflowDefinition>(stored ? EngineJson.Options : EngineJson.StrictOptions)
                ?? throw Fail("$", "a definition is a JSON object");
        }
        catch (JsonException e)
        {
            throw Fail(e.Path ?? "$", FirstSentence(e.Message));
        }
        catch (InvalidOperationException e)
        {
            throw Fail("$", FirstSentence(e.Message));
        }

        definition = definition with { ContentHash = Hash(canonical), SourceJson = canonical };
        if (stored)
        {
            return definition;
        }

        var holes = NullItemCheck.Problems(definition).Select(p => new DefinitionError(fileName, p.Path, p.Reason)).ToList();
        if (holes.Count > 0)
        {
            throw new DefinitionException(holes);
        }

        var validation = Validator.Validate(definition);
        if (!validation.IsValid)
        {
            throw new DefinitionException([.. validation.Errors.Select(e => new DefinitionError(fileName, JsonPaths.From(e.PropertyName), e.ErrorMessage))]);
        }

        return definition;
    }

    private static void CheckActivityTypes(string fileName, JsonObject root)
    {
        if (root["activities"] is not JsonArray activities)
        {
            return;
        }

        var errors = new List<DefinitionError>();
        for (var i = 0; i < activities.Count; i++)
        {
            var type = activities[i] is JsonObject activity ? activity["type"] : null;
            var name = type?.GetValueKind() == JsonValueKind.String ? type.GetValue<string>() : null;
            if (name is null || !ActivityDefinition.KnownTypes.Contains(name))
            {
                errors.Add(new DefinitionError(fileName, $"$.activities[{i}].type",
                    $"unknown activity type '{name ?? type?.ToJsonString() ?? "(missing)"}'; known types: {string.Join(", ", ActivityDefinition.KnownTypes)}"));
            }
        }

        if (errors.Count > 0)
        {
            throw new DefinitionException(errors);
        }
    }

    /// <summary>
    /// A key written twice is refused, not resolved: which of the two was meant is the author's call. (The JSON tree
    /// would throw an ArgumentException on it; the parser's own duplicate check loses the position.)
    /// </summary>
    private static void CheckDuplicateKeys(string fileName, string text)
    {
        using var document = JsonDocument.Parse(text, DocumentOptions);
        var errors = new List<DefinitionError>();
        var pending = new Stack<(JsonElement Element, string Path)>();
        pending.Push((document.RootElement, "$"));
        while (pending.TryPop(out var current))
        {
            if (current.Element.ValueKind == JsonValueKind.Object)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in current.Element.EnumerateObject())
                {
                    var path = $"{current.Path}.{property.Name}";
                    if (!seen.Add(property.Name))
                    {
                        errors.Add(new DefinitionError(fileName, path, $"the key '{property.Name}' is written twice in the same object; keep one"));
                    }

                    pending.Push((property.Value, path));
                }
            }
            else if (current.Element.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in current.Element.EnumerateArray())
                {
                    pending.Push((item, $"{current.Path}[{i++}]"));
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new DefinitionException(errors);
        }
    }

    /// <summary>Keys sorted, no whitespace: formatting or key order never makes a new revision, any real change does.</summary>
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ => node?.DeepClone(),
    };

    private static string Hash(string canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
