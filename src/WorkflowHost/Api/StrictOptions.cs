using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkflowHost.Api;

/// <summary>
/// The API's serializer options with the rules a request body is held to (<see cref="Body{T}"/>): no field the request
/// does not have, no key written twice, no deeper nesting than a form needs. Made once per options instance.
/// </summary>
internal static class StrictOptions
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Strict = [];

    public static JsonSerializerOptions For(JsonSerializerOptions options) => Strict.GetValue(options, o =>
    {
        var strict = new JsonSerializerOptions(o)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            MaxDepth = Body<object>.MaxDepth,
        };
        strict.MakeReadOnly(populateMissingResolver: true);
        return strict;
    });
}
