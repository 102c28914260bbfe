using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Engine.Definitions;

/// <summary>
/// <c>commentFiles</c>: the files a comment may carry, with the same rules as a <c>file</c> field
/// (<c>{ "maxFiles": 3, "maxBytes": 10485760, "kinds": ["pdf"] }</c>).
/// </summary>
public sealed record CommentFiles
{
    public int? MaxFiles { get; init; }

    public long? MaxBytes { get; init; }

    public IReadOnlyList<string>? Kinds { get; init; }

    /// <summary>The rules as the field <c>files</c> of a comment's form, so a comment's files are checked like any other.</summary>
    public InputField AsField() => new()
    {
        Name = "files",
        Type = InputFieldType.File,
        Label = new LocalizedText { ZhCn = "附件", En = "Files" },
        MaxFiles = MaxFiles,
        MaxBytes = MaxBytes,
        Kinds = Kinds,
    };
}
