using Microsoft.Net.Http.Headers;
using WorkflowHost.Api;
using WorkflowHost.Persistence.Attachments;

namespace WorkflowHost.Features.Attachments;

/// <summary>
/// Sends a file to someone who may see its case. A file is not a page of ours: it always goes with <c>nosniff</c> and a
/// sandboxing Content-Security-Policy, so even a PDF or image opened in the browser runs no script with our origin.
/// </summary>
internal static class DownloadAttachment
{
    /// <summary>No script, no form, no same-origin rights; images may show, which is all a PDF or picture needs.</summary>
    public const string SandboxPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

    /// <summary>The page route of a download, for links from the pages (the API route serves the same file).</summary>
    public const string PagePath = "/files";

    public static bool IsDownload(PathString path) =>
        path.StartsWithSegments(AttachmentsEndpoints.UploadPath) || path.StartsWithSegments(PagePath);

    public static async Task<IResult> HandleAsync(
        Guid id, bool? inline, Caller caller, HttpContext http, AttachmentReader reader, AttachmentStore store, CancellationToken cancellationToken)
    {
        var attachment = await reader.FindVisibleAsync(caller, id, cancellationToken);
        if (attachment is null)
        {
            return Problems.NotFound($"There is no file {id}.");
        }

        var kind = FileSniffer.Parse(attachment.Kind);
        var opensInline = inline == true && kind is Engine.Inputs.FileKind.Pdf or Engine.Inputs.FileKind.Jpeg or Engine.Inputs.FileKind.Png;
        var disposition = new ContentDispositionHeaderValue(opensInline ? "inline" : "attachment");

        // filename (ASCII, for old clients) and filename* (RFC 5987, UTF-8), so 考察材料.pdf arrives as 考察材料.pdf.
        disposition.SetHttpFileName(attachment.FileName);
        var response = http.Response;
        response.ContentType = opensInline ? FileSniffer.MediaType(kind) : "application/octet-stream";
        response.ContentLength = attachment.Size;
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ETag = $"\"{attachment.Sha256}\"";
        response.Headers["X-Content-SHA256"] = attachment.Sha256;
        await store.CopyToAsync(attachment.Sha256, response.Body, cancellationToken);
        return Results.Empty;
    }
}
