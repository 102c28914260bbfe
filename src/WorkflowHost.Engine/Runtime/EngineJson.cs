using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace WorkflowHost.Engine.Runtime;

/// <summary>The one JSON dialect of the engine: definitions, state and journal data all use it.</summary>
public static class EngineJson
{
    public static readonly JsonSerializerOptions Options = Create(strict: false);

    /// <summary>For reading definitions: unknown properties are errors, so a typo never passes silently.</summary>
    public static readonly JsonSerializerOptions StrictOptions = Create(strict: true);

    /// <summary>
    /// The instance state in <see cref="Options"/>' dialect with source-generated metadata (decision 163): what a step
    /// parses from its row and writes back, as UTF-8. Its bytes are the reflection serialiser's (StateJsonIdentityTests).
    /// </summary>
    public static readonly JsonTypeInfo<InstanceState> State = CreateState();

    /// <summary>
    /// Reads a JSON number as a decimal whatever backs the node. <c>JsonValue.TryGetValue&lt;decimal&gt;</c> fails for a value
    /// created from another CLR type (an <c>int</c> ballot total, a number built in code) though it succeeds once the same value is parsed.
    /// </summary>
    internal static bool TryGetDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        return node is JsonValue json && json.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(json.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static JsonTypeInfo<InstanceState> CreateState()
    {
        // A copy keeps every setting and converter of Options; only where the metadata comes from changes.
        var options = new JsonSerializerOptions(Options) { TypeInfoResolver = EngineJsonContext.Default };
        options.MakeReadOnly();
        return (JsonTypeInfo<InstanceState>)options.GetTypeInfo(typeof(InstanceState));
    }

    private static JsonSerializerOptions Create(bool strict)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            AllowOutOfOrderMetadataProperties = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = strict,
            MaxDepth = 32,
            PropertyNameCaseInsensitive = !strict,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
            // The web defaults read "1" as a number; in a definition a number written as a string is a mistake to report.
            NumberHandling = strict ? JsonNumberHandling.Strict : JsonNumberHandling.AllowReadingFromString,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
