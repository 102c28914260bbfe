using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Persistence.Attachments;

/// <summary>What became of an upload: stored (with its reference), or refused and nothing kept.</summary>
public abstract record UploadOutcome
{
    public sealed record Stored(AttachmentReference Attachment) : UploadOutcome;

    /// <summary>The body ran past the limit; the upload was cut off there, not read to the end.</summary>
    public sealed record TooLarge(long Limit) : UploadOutcome;

    /// <summary>The content is none of the allowed kinds, or not the kind its name claims.</summary>
    public sealed record Unsupported(string Message) : UploadOutcome;

    public sealed record Empty : UploadOutcome;
}

/// <summary>Raised by a stream that counts what passes through it, once it passes the limit.</summary>
internal sealed class UploadTooLargeException(long limit) : Exception($"The upload is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}
