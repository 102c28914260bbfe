using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>Searches JSON for a place that ties a voter to a choice.</summary>
internal static class VoteLinks
{
    /// <summary>
    /// True when some object holds both the voter id and the choice as its own property values
    /// (<c>{ "voterId": "p-x", "choice": "object" }</c>), or is keyed by the voter with the choice inside
    /// (<c>{ "p-x": { "choice": "object" } }</c>).
    /// </summary>
    public static bool Exist(JsonNode? node, string voterId, string choice) => node switch
    {
        JsonObject obj => LinksDirectly(obj, voterId, choice) || obj.Any(p => Exist(p.Value, voterId, choice)),
        JsonArray array => array.Any(item => Exist(item, voterId, choice)),
        _ => false,
    };

    private static bool LinksDirectly(JsonObject obj, string voterId, string choice)
    {
        var values = obj.Select(p => p.Value).OfType<JsonValue>()
            .Where(v => v.GetValueKind() == JsonValueKind.String)
            .Select(v => v.GetValue<string>())
            .ToList();
        if (values.Contains(voterId) && values.Contains(choice))
        {
            return true;
        }

        return obj[voterId] is { } keyedByVoter && keyedByVoter.ToJsonString().Contains($"\"{choice}\"", StringComparison.Ordinal);
    }
}
