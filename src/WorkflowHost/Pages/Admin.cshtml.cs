using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Processes;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>For administrators: the published definitions with their diagrams, and the way to the Hangfire dashboard.</summary>
public sealed class AdminModel(DefinitionCatalog catalog) : WebPageModel
{
    public IReadOnlyList<WorkflowDefinition> Definitions { get; private set; } = [];

    public override string Title => T.Administration;

    public IActionResult OnGet()
    {
        if (!Me.Has(RoleNames.Administrator))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Definitions = [.. catalog.Published];
        return Page();
    }

    public string Diagram(WorkflowDefinition definition) => ProcessDiagram.Render(definition, T.Language);
}
