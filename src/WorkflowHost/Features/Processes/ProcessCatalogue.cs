using WorkflowHost.Engine.Definitions;
using WorkflowHost.Persistence.Definitions;

namespace WorkflowHost.Features.Processes;

/// <summary>The published processes with their input fields, so a client can build a start form.</summary>
internal static class ProcessCatalogue
{
    public static IEndpointRouteBuilder MapProcessCatalogue(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/processes", (DefinitionCatalog catalog) =>
            Results.Ok(catalog.Published.Select(Summarise)));
        return endpoints;
    }

    private static object Summarise(WorkflowDefinition definition) => new
    {
        definition.Id,
        definition.Version,
        definition.Revision,
        definition.Name,
        definition.Description,
        definition.StartableBy,
        definition.Inputs,
        Activities = definition.Activities.Select(a => new { a.Id, a.Type, a.Name }),
    };
}
