namespace WorkflowHost.Persistence.Attachments;

/// <summary>Where uploaded files go and how long an upload no case refers to is kept. Bound from <c>Attachments</c>.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>
    /// Empty (the default): files are kept in the database, so every host on one PostgreSQL database reads them. A folder
    /// (relative paths from the content root) keeps them as files named by their SHA-256; every host must see the same folder.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>The largest upload the host takes, in bytes, whatever a definition allows; refused with 413 while streaming.</summary>
    public long MaxUploadBytes { get; set; } = Engine.Definitions.InputFieldLimits.MaxBytes;

    /// <summary>An upload no case refers to after this long is deleted by the cleaner.</summary>
    public TimeSpan OrphanAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Where an upload is written while it streams in, before its type is known; the system's temp folder if empty.</summary>
    public string? TempFolder { get; set; }
}
