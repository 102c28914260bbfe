using WorkflowHost.Api;
using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Features.Attachments;

/// <summary>The answer to an upload: the id to put in a <c>file</c> field, a task's form or a comment.</summary>
public sealed record UploadedAttachment(Guid Id, string Name, string Kind, long Size, string Sha256);

/// <summary>Upload a file, then refer to it by id; download a file of a case you can see.</summary>
internal static class AttachmentsEndpoints
{
    public const string UploadPath = "/api/attachments";

    /// <summary>
    /// Any type a client declares, its kind's own or none of ours: only the content decides (decision 116), so a DOCX sent
    /// as what it is, or a PDF sent as text/html, reaches the check and gets its answer with a code, not a bare 415 from routing.
    /// </summary>
    private static readonly string[] DeclaredTypes =
        [.. Enum.GetValues<FileKind>().Select(Persistence.Attachments.FileSniffer.MediaType), "*/*"];

    public static void Map(RouteGroupBuilder api)
    {
        var attachments = api.MapGroup("/attachments").WithTags("Attachments");

        attachments.MapPost("", UploadAttachment.HandleAsync)
            .Accepts<Stream>("application/octet-stream", DeclaredTypes)
            .WithName("UploadAttachment")
            .WithSummary("Upload one file (the raw body; its name in ?name=) and get the id to refer to it by")
            .WithDescription(
                "The body is the file itself. Its kind is judged by its content: PDF, JPEG, PNG, DOCX, XLSX or OFD; anything else, " +
                "or content that is not the kind its name claims, is refused with 415. A body larger than the host's limit " +
                "(Attachments:MaxUploadBytes, 100 MiB by default) is refused with 413 as soon as it passes the limit. An upload that no " +
                "instance, task or comment refers to within Attachments:OrphanAfter (24 hours by default) is deleted.")
            .Produces<UploadedAttachment>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        attachments.MapGet("/{id:guid}", DownloadAttachment.HandleAsync)
            .WithName("DownloadAttachment")
            .WithSummary("Download a file of a case you can see")
            .WithDescription(
                "Sent as an attachment (Content-Disposition with an RFC 5987 filename*, so Chinese names survive) with " +
                "X-Content-Type-Options: nosniff. With ?inline=true a PDF or image opens in the browser, in a sandbox " +
                "(Content-Security-Policy: sandbox). A file of a case you cannot see answers 404, as an unknown id does.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream", "application/pdf", "image/jpeg", "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/instances/{id:guid}/attachments", async (Guid id, Caller caller, Instances.InstanceReader instances, AttachmentReader reader, CancellationToken cancellationToken) =>
                await instances.GetAsync(caller, id, cancellationToken) is null
                    ? Problems.NotFound($"There is no instance {id}.")
                    : Results.Ok(await reader.OnInstanceAsync(id, cancellationToken)))
            .WithTags("Attachments")
            .WithName("ListInstanceAttachments")
            .WithSummary("The files on an instance, with their SHA-256")
            .Produces<IReadOnlyList<AttachmentView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static UploadedAttachment ToResponse(AttachmentReference attachment) =>
        new(attachment.Id, attachment.Name, Persistence.Attachments.FileSniffer.Name(attachment.Kind), attachment.Size, attachment.Sha256);
}
