using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Features.Communities;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>The directory's change journal: who changed what, when, the record before and after. Read like the directory.</summary>
public sealed class DirectoryChangesModel(DirectoryReader reader) : WebPageModel
{
    public string Community { get; private set; } = "";

    public IReadOnlyList<DirectoryChangeView> Changes { get; private set; } = [];

    public override string Title => T.DirectoryChanges;

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A record as JSON with its Chinese readable (the page HTML-encodes it).</summary>
    public static string Json(System.Text.Json.Nodes.JsonNode? node) => node?.ToJsonString(Readable) ?? "";

    public async Task<IActionResult> OnGetAsync(string? community, CancellationToken cancellationToken)
    {
        Community = community ?? Me.CommunityId;
        if (Me.AccessTo(Community) == CommunityAccess.None)
        {
            return NotFound();
        }

        Changes = await reader.ChangesAsync(Community, 500, cancellationToken);
        return Page();
    }
}
