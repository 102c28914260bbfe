using System.Text.Json.Nodes;

namespace WorkflowHost.Features.Instances;

/// <summary>A returned file corrected by its unit (退回补充): the fields that changed, with their stored values before and after.</summary>
public sealed record AmendmentView(string? StepId, DateTimeOffset At, IReadOnlyList<FieldChangeView> Changes);

public sealed record FieldChangeView(string Field, JsonNode? Before, JsonNode? After);

/// <summary>A comment (讨论意见) on the instance or, with <see cref="StepId"/>, on one of its steps, with the files it carries.</summary>
public sealed record CommentView(string Id, PersonRef Author, string? StepId, string Text, DateTimeOffset At, IReadOnlyList<CommentFileView> Files);

/// <summary>A file a comment carries, as the comment recorded it; downloaded from <c>GET /api/attachments/{id}</c> by whoever sees the case.</summary>
public sealed record CommentFileView(Guid Id, string Name, string Kind, long Size, string Sha256)
{
    /// <summary>The stored references of a comment (<see cref="Persistence.Entities.InstanceComment.FilesJson"/>).</summary>
    public static IReadOnlyList<CommentFileView> From(string? filesJson) =>
        filesJson is null || JsonNode.Parse(filesJson) is not JsonArray files
            ? []
            : [.. files.OfType<JsonObject>().Select(f => new CommentFileView(
                Guid.Parse(f["id"]!.GetValue<string>()), f["name"]!.GetValue<string>(), f["kind"]!.GetValue<string>(),
                f["size"]!.GetValue<long>(), f["sha256"]!.GetValue<string>()))];
}

/// <summary>Reads the journal's <c>InputAmended</c> events. Events written before the diff was journaled name their fields only.</summary>
internal static class Amendments
{
    public static AmendmentView From(JsonObject data, DateTimeOffset at)
    {
        var changes = data["changes"] is JsonArray list
            ? list.Select(c => new FieldChangeView(c!["field"]!.GetValue<string>(), c["before"]?.DeepClone(), c["after"]?.DeepClone())).ToList()
            : (data["fields"] as JsonArray ?? []).Select(f => new FieldChangeView(f!.GetValue<string>(), null, null)).ToList();
        return new AmendmentView(data["bookmark"]?.GetValue<string>(), at, changes);
    }
}
