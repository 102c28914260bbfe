using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// Source-generated metadata for the instance state, the type every step reads and writes whole (decision 163). It is
/// used only through <see cref="EngineJson.State"/>, whose options are a copy of <see cref="EngineJson.Options"/>
/// (the same naming, encoder, enum converter, ignore and number rules): the generated metadata replaces the reflection
/// resolver, not the dialect, and its output is byte for byte the reflection serialiser's (StateJsonIdentityTests).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    GenerationMode = JsonSourceGenerationMode.Metadata,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    RespectNullableAnnotations = true,
    MaxDepth = 32,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(InstanceState))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
