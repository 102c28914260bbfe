namespace WorkflowHost.Persistence.Attachments;

/// <summary>
/// One upload: who sent which file, under what name, and which case it went to. The content is the
/// <see cref="AttachmentBlob"/> with the same SHA-256, shared by every upload of the same bytes. An upload no case refers to
/// (<see cref="InstanceId"/> still null) after <see cref="AttachmentOptions.OrphanAfter"/> is cleaned as an orphan.
/// </summary>
public sealed class Attachment
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required string UploadedBy { get; init; }

    public required string FileName { get; init; }

    /// <summary>The kind found in the content (<c>pdf</c>, <c>jpeg</c>, <c>png</c>, <c>docx</c>, <c>xlsx</c>, <c>ofd</c>).</summary>
    public required string Kind { get; init; }

    public required long Size { get; init; }

    public required string Sha256 { get; init; }

    public required DateTimeOffset UploadedAt { get; init; }

    /// <summary>The case that refers to the upload; set in the step's own transaction, so a referenced upload is never an orphan.</summary>
    public Guid? InstanceId { get; set; }
}

/// <summary>
/// The content of a file, once per SHA-256. In the database (the default) it is split into <see cref="AttachmentChunk"/>
/// rows, so neither writing nor reading ever holds a whole file in memory; in a folder it is the file named by the hash.
/// </summary>
public sealed class AttachmentBlob
{
    public required string Sha256 { get; init; }

    public required long Size { get; init; }

    /// <summary><c>database</c> or <c>folder</c>: where the bytes are, so a host switched to a folder still reads older files.</summary>
    public required string Location { get; init; }

    public required DateTimeOffset StoredAt { get; init; }
}

public sealed class AttachmentChunk
{
    public required string Sha256 { get; init; }

    public required int Index { get; init; }

    public required byte[] Data { get; init; }
}

public static class BlobLocations
{
    public const string Database = "database";
    public const string Folder = "folder";
}
