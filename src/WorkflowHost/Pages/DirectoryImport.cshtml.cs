using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Features.Communities.Import;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// The community import as a page: download the template, upload a file, preview, import. The previewed file travels
/// back in the preview's own form (base64, at most 512 KB), so the import commits exactly the file previewed, on any host,
/// with no upload kept on the server; it is checked again in full before anything is written.
/// </summary>
public sealed class DirectoryImportModel(CommunityImport import) : WebPageModel
{
    public string Community { get; private set; } = "";

    public IReadOnlyList<ImportError> Errors { get; private set; } = [];

    public string? Problem { get; private set; }

    public ImportReport? Report { get; private set; }

    /// <summary>The previewed file, for the import button.</summary>
    public string? Previewed { get; private set; }

    public override string Title => T.ImportTitle;

    public IActionResult OnGet(string? community)
    {
        Community = community ?? Me.CommunityId;
        return (IActionResult?)Access(Community) ?? Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(string community, IFormFile? file, CancellationToken cancellationToken)
    {
        Community = community;
        if (Access(community) is { } refused)
        {
            return refused;
        }

        if (file is null || file.Length == 0)
        {
            Problem = T.ImportNoFile;
            return Page();
        }

        if (file.Length > ImportFile.MaxBytes)
        {
            Problem = $"{T.ImportFileLabel}: {file.Length} > {ImportFile.MaxBytes}";
            return Page();
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var content = buffer.ToArray();
        if (await RunAsync(content, commit: false, cancellationToken))
        {
            Previewed = Convert.ToBase64String(content);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostCommitAsync(string community, string? previewed, CancellationToken cancellationToken)
    {
        Community = community;
        if (Access(community) is { } refused)
        {
            return refused;
        }

        byte[] content;
        try
        {
            content = Convert.FromBase64String(previewed ?? "");
        }
        catch (FormatException)
        {
            content = [];
        }

        if (content.Length == 0)
        {
            Problem = T.ImportNoFile;
            return Page();
        }

        await RunAsync(content, commit: true, cancellationToken);
        return Page();
    }

    private async Task<bool> RunAsync(byte[] content, bool commit, CancellationToken cancellationToken)
    {
        var outcome = await import.RunAsync(Me.PersonId, Community, content, commit, cancellationToken);
        (Problem, Errors, Report) = (outcome.FileProblem, outcome.Errors, outcome.Report);
        if (!outcome.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return outcome.Succeeded;
    }

    /// <summary>Tenancy as on the directory page: not theirs 404, read-only 403.</summary>
    private StatusCodeResult? Access(string community) => Me.AccessTo(community) switch
    {
        CommunityAccess.None => NotFound(),
        CommunityAccess.Read => StatusCode(StatusCodes.Status403Forbidden),
        _ => null,
    };

    public string Header(string table, string key) =>
        ImportShapes.All.FirstOrDefault(s => s.Key == table)?.Columns.FirstOrDefault(c => c.Key == key)?.Header(T.En) ?? key;
}
