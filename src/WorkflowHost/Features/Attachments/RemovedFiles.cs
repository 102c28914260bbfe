using System.Text.Json.Nodes;
using WorkflowHost.Features.Instances;

namespace WorkflowHost.Features.Attachments;

/// <summary>
/// Which files on a case an amendment took out of its form, and when. A removed file keeps its row on the case (decision
/// 133), so the listing learns "removed" from what the case already stores: each amendment's before and after values of
/// its file fields, and the input as it stands now.
/// </summary>
public static class RemovedFiles
{
    /// <summary>The removed files of <paramref name="instance"/> with the time of their amendment as a page shows it.</summary>
    public static IReadOnlyDictionary<Guid, string> Of(InstanceView instance, Func<DateTimeOffset, string> time) =>
        From(instance.Amendments, instance.Input).ToDictionary(r => r.Key, r => time(r.Value));

    /// <summary>File id to the time of the amendment that last removed it; a file the input holds again is not removed.</summary>
    public static IReadOnlyDictionary<Guid, DateTimeOffset> From(IReadOnlyList<AmendmentView>? amendments, JsonObject input)
    {
        var removed = new Dictionary<Guid, DateTimeOffset>();
        foreach (var amendment in (amendments ?? []).OrderBy(a => a.At))
        {
            foreach (var change in amendment.Changes)
            {
                var after = Ids(change.After).ToHashSet();
                foreach (var id in Ids(change.Before).Where(id => !after.Contains(id)))
                {
                    removed[id] = amendment.At;
                }

                foreach (var id in after)
                {
                    removed.Remove(id);
                }
            }
        }

        foreach (var id in input.SelectMany(field => Ids(field.Value)))
        {
            removed.Remove(id);
        }

        return removed;
    }

    // A file field's stored value is an array of references { "id", "sha256", "name", "size", "kind" }; any other value
    // (text, a number, a list of rows) names no file.
    private static IEnumerable<Guid> Ids(JsonNode? value) => value is JsonArray items
        ? items.OfType<JsonObject>().Select(i => i["id"] is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
        : [];
}
