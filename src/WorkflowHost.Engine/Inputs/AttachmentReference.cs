using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Inputs;

/// <summary>
/// An uploaded file as the engine sees it: never the bytes, only what identifies them. The stored value of a
/// <c>file</c> field is a list of these, so the journal event that records the value carries each file's hash and the
/// instance's hash chain covers the content.
/// </summary>
public sealed record AttachmentReference(Guid Id, string Sha256, string Name, long Size, FileKind Kind)
{
    public JsonObject ToJson() => new()
    {
        ["id"] = Id.ToString("D"),
        ["sha256"] = Sha256,
        ["name"] = Name,
        ["size"] = Size,
        ["kind"] = JsonValue.Create(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(Kind.ToString())),
    };

    /// <summary>The attachment id in a value as given (an id string) or as stored (an object with <c>id</c>).</summary>
    public static Guid? IdIn(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String && Guid.TryParse(v.GetValue<string>(), out var id) => id,
        JsonObject o => IdIn(o["id"]),
        _ => null,
    };
}

/// <summary>
/// The uploads a step may refer to, looked up by the store before the step runs (the engine reads no database). A store
/// gives only the uploads the actor may use: their own, in the same community, not yet on another case (an upload belongs to
/// one case only), or files already on this instance.
/// </summary>
public interface IAttachmentCatalog
{
    AttachmentReference? Find(Guid attachmentId);
}

/// <summary>A catalog held in memory; the store fills one per step, tests build their own.</summary>
public sealed class AttachmentCatalog(IEnumerable<AttachmentReference> attachments) : IAttachmentCatalog
{
    public static readonly AttachmentCatalog Empty = new([]);

    private readonly Dictionary<Guid, AttachmentReference> _byId = attachments.ToDictionary(a => a.Id);

    public AttachmentReference? Find(Guid attachmentId) => _byId.GetValueOrDefault(attachmentId);
}
