using System.Text.Json.Nodes;
using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Persistence.Attachments;

/// <summary>
/// Finds files in JSON the store holds or receives (a stimulus's payload, an instance's input and steps' data), with one
/// walk: the ids a request names (given as id strings or as stored references), or the stored references themselves.
/// </summary>
internal static class AttachmentJson
{
    /// <summary>Everything shaped like an attachment id: an id string, or the <c>id</c> of a stored reference.</summary>
    public static IEnumerable<Guid> Ids(JsonNode? node) =>
        Walk(node).OfType<JsonValue>().Select(value => AttachmentReference.IdIn(value)).OfType<Guid>();

    /// <summary>Every stored reference (an object with <c>id</c>, <c>sha256</c> and <c>kind</c>), as the engine wrote it.</summary>
    public static IEnumerable<JsonObject> StoredReferences(JsonNode? node) =>
        Walk(node).OfType<JsonObject>().Where(o => o["id"] is JsonValue && o["sha256"] is JsonValue && o["kind"] is not null);

    /// <summary>The node and everything under it, depth first.</summary>
    private static IEnumerable<JsonNode> Walk(JsonNode? node)
    {
        if (node is null)
        {
            yield break;
        }

        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(pair => pair.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var descendant in Walk(child))
            {
                yield return descendant;
            }
        }
    }
}
