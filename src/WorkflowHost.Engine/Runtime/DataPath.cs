using System.Globalization;
using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// Dotted paths into instance data (<c>input.date</c>, <c>activities.place-on-agenda.data.secretBallot</c>), the same
/// paths conditions use. A segment that is a whole number indexes an array (<c>activities.x.items.0.unit</c>).
/// </summary>
public static class DataPath
{
    public static readonly IReadOnlyList<string> Roots = ["input", "activities", "initiator"];

    /// <summary>The node at <paramref name="path"/>, or null when any segment is missing.</summary>
    public static JsonNode? Resolve(JsonNode? data, string path)
    {
        var node = data;
        foreach (var segment in path.Split('.'))
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => null,
            };
        }

        return node;
    }

    /// <summary>A path is well-formed when it starts with one of <paramref name="roots"/> and has no empty segment.</summary>
    public static bool IsValid(string? path, IReadOnlyList<string>? roots = null) =>
        !string.IsNullOrWhiteSpace(path)
        && path.Split('.').All(s => s.Length > 0)
        && (roots ?? Roots).Contains(path.Split('.')[0]);
}

/// <summary>Reads values for named slots from instance data: the parameters of a lookup, the values of a record.</summary>
public static class DataMap
{
    /// <summary>The roots a per-item path may start with: the instance data's, plus <c>item</c> (the current list element).</summary>
    public static readonly IReadOnlyList<string> ItemRoots = ["input", "activities", "initiator", "item"];

    public static JsonObject Resolve(JsonObject data, IReadOnlyDictionary<string, string> paths) =>
        new([.. paths.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, DataPath.Resolve(data, p.Value)?.DeepClone()))]);

    /// <summary>The data conditions, templates and lookups read: input, activity records and the initiator (a copy).</summary>
    public static JsonObject ViewOf(InstanceState state) => new()
    {
        ["input"] = state.Input.DeepClone(),
        ["activities"] = state.Variables.DeepClone(),
        ["initiator"] = new JsonObject { ["personId"] = state.Initiator.PersonId, ["unitId"] = state.Initiator.UnitId },
    };

    /// <summary>The instance data with <c>item</c> set to <paramref name="item"/> (a copy: the caller's data is not changed).</summary>
    public static JsonObject WithItem(JsonObject data, JsonNode? item)
    {
        var view = (JsonObject)data.DeepClone();
        view["item"] = item?.DeepClone();
        return view;
    }
}
