using WorkflowHost.Api;
using WorkflowHost.Persistence.Attachments;

namespace WorkflowHost.Features.Attachments;

/// <summary>
/// <c>POST /api/attachments?name=…</c>: the body is the file. It streams through to a temporary file (never into memory
/// whole), is judged by its content, and is stored once the transaction commits; only then is 201 sent.
/// </summary>
internal static class UploadAttachment
{
    private static readonly string[] AcceptedKinds = [.. Enum.GetValues<Engine.Inputs.FileKind>().Select(FileSniffer.Name)];

    public static async Task<IResult> HandleAsync(string? name, Caller caller, HttpContext http, AttachmentStore store, AttachmentOptions options, CancellationToken cancellationToken)
    {
        var fileName = AttachmentNames.Clean(name);
        if (fileName is null)
        {
            return Problems.Field("name", $"Give the file's name in ?name= (at most {AttachmentNames.MaxLength} characters).");
        }

        if (http.Request.ContentLength > options.MaxUploadBytes)
        {
            return TooLarge(options.MaxUploadBytes);
        }

        var outcome = await store.UploadAsync(caller.CommunityId, caller.PersonId, fileName, http.Request.Body, cancellationToken);
        return outcome switch
        {
            UploadOutcome.Stored stored => Results.Created($"{AttachmentsEndpoints.UploadPath}/{stored.Attachment.Id:D}", AttachmentsEndpoints.ToResponse(stored.Attachment)),
            UploadOutcome.TooLarge tooLarge => TooLarge(tooLarge.Limit),
            UploadOutcome.Unsupported unsupported => Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "This kind of file is not accepted.", detail: unsupported.Message,
                extensions: new Dictionary<string, object?> { ["code"] = "unsupported-file", ["accepted"] = AcceptedKinds }),
            _ => Problems.Field("file", "The file is empty."),
        };
    }

    private static IResult TooLarge(long limit) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large.",
            detail: $"A file may be at most {limit} bytes ({limit / (1024 * 1024)} MiB).",
            extensions: new Dictionary<string, object?> { ["code"] = "file-too-large", ["limit"] = limit });
}
