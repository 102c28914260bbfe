using WorkflowHost.Api;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Web;

namespace WorkflowHost.Features.Communities.Import;

/// <summary>
/// <c>/api/communities/{communityId}/import…</c>: the template, a preview and the import. Mapped on the directory's
/// administering group, so tenancy (404 across communities) and the administrator check (403) come first. The file is
/// the request body as it is (.xlsx or CSV, told by its content), not a form: a client posts the bytes it has.
/// </summary>
internal static class ImportEndpoints
{
    /// <summary>
    /// The declared types a file may come with. Only a declaration: the content decides what the file is. Windows calls
    /// a .csv application/vnd.ms-excel, and a client that knows nothing sends application/octet-stream.
    /// </summary>
    private static readonly string[] UploadTypes = [Spreadsheet.XlsxType, "application/octet-stream", "application/vnd.ms-excel", "text/plain"];

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/import/template", async (string communityId, string? format, string? language, CancellationToken cancellationToken) =>
            {
                var texts = new Texts(language);
                return format is null or "xlsx"
                    ? Results.File(await ImportTemplate.XlsxAsync(texts, cancellationToken), Spreadsheet.XlsxType, ImportTemplate.FileName(texts, communityId, "xlsx"))
                    : format == "csv"
                        ? Results.File(ImportTemplate.Csv(texts), Spreadsheet.CsvType, ImportTemplate.FileName(texts, communityId, "csv"))
                        : Problems.Field("format", "xlsx or csv.");
            })
            .WithName("GetImportTemplate")
            .WithSummary("The import template (xlsx or csv), headers in zh-CN (default) or en, with hints and an example row")
            .Produces<byte[]>(StatusCodes.Status200OK, Spreadsheet.XlsxType, "text/csv");

        admin.MapPost("/import/preview", (string communityId, HttpRequest request, Caller caller, CommunityImport import, CancellationToken cancellationToken) =>
                RunAsync(communityId, request, caller, import, commit: false, cancellationToken))
            .Accepts<byte[]>("text/csv", UploadTypes)
            .WithName("PreviewImport")
            .WithSummary("Check a file and show what importing it would add, change and leave unchanged; writes nothing")
            .Produces<ImportReport>();

        admin.MapPost("/import", (string communityId, HttpRequest request, Caller caller, CommunityImport import, CancellationToken cancellationToken) =>
                RunAsync(communityId, request, caller, import, commit: true, cancellationToken))
            .Accepts<byte[]>("text/csv", UploadTypes)
            .WithName("Import")
            .WithSummary("Import a file in one transaction, every change journaled; any bad row refuses the whole file")
            .Produces<ImportReport>();
    }

    private static async Task<IResult> RunAsync(string communityId, HttpRequest request, Caller caller, CommunityImport import, bool commit, CancellationToken cancellationToken)
    {
        if (await ReadBodyAsync(request, cancellationToken) is not { } file)
        {
            return Problems.Field("file", $"The file is larger than {ImportFile.MaxBytes} bytes.");
        }

        return Answer(await import.RunAsync(caller.PersonId, communityId, file, commit, cancellationToken));
    }

    /// <summary>The body up to the import's limit; null when it is larger (read no further than that).</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ImportFile.MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>A report is 200; an unreadable file is a 400 on <c>file</c>; bad rows a 400 keyed "sheet!row column", listed in order.</summary>
    public static IResult Answer(ImportOutcome outcome)
    {
        if (outcome.Report is { } report)
        {
            return Results.Ok(report);
        }

        if (outcome.FileProblem is { } problem)
        {
            return Problems.Field("file", problem);
        }

        var errors = outcome.Errors.GroupBy(e => $"{e.Sheet}!{e.Row} {e.Column}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray(), StringComparer.Ordinal);
        return Results.ValidationProblem(errors, detail: $"{outcome.Errors.Count} errors; nothing was written.", title: "The file has bad rows.",
            extensions: new Dictionary<string, object?> { ["code"] = "invalidImport", ["rows"] = outcome.Errors });
    }
}
