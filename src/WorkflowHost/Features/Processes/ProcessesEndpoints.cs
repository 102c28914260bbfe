using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Persistence.Definitions;

namespace WorkflowHost.Features.Processes;

/// <summary>A published process: enough for a client to build its start form, and to draw or describe its steps.</summary>
public sealed record ProcessSummary(
    string Id,
    int Version,
    string Revision,
    LocalizedText Name,
    LocalizedText? Description,
    IReadOnlyList<string> StartableBy,
    IReadOnlyList<InputField> Inputs,
    IReadOnlyList<ActivitySummary> Activities,
    string Href,
    string Diagram);

public sealed record ProcessDetail(
    string Id,
    int Version,
    string Revision,
    LocalizedText Name,
    LocalizedText? Description,
    IReadOnlyList<string> StartableBy,
    IReadOnlyList<InputField> Inputs,
    string Start,
    IReadOnlyList<ActivitySummary> Activities,
    IReadOnlyList<TransitionSummary> Transitions,
    string Diagram);

public sealed record ActivitySummary(string Id, string Type, LocalizedText? Name, IReadOnlyList<string> Outcomes);

public sealed record TransitionSummary(string From, string Outcome, string To);

/// <summary>
/// The process catalogue. Public: what the committee's processes ask for and how they run is no secret, and a unit's
/// own system needs it to build forms before anyone signs in.
/// </summary>
internal static class ProcessesEndpoints
{
    public static void Map(RouteGroupBuilder publicApi)
    {
        var processes = publicApi.MapGroup("/processes").WithTags("Processes");

        processes.MapGet("", (DefinitionCatalog catalog) => Results.Ok(catalog.Published.Select(Summarise).ToList()))
            .WithName("ListProcesses")
            .WithSummary("The published processes, each with its input fields")
            .Produces<IReadOnlyList<ProcessSummary>>();

        processes.MapGet("/{processId}", (string processId, DefinitionCatalog catalog) =>
                catalog.Current(processId) is { } definition ? Results.Ok(Detail(definition)) : Problems.NotFound($"There is no process '{processId}'."))
            .WithName("GetProcess")
            .WithSummary("One process: input fields, steps and transitions")
            .Produces<ProcessDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        processes.MapGet("/{processId}/diagram.svg", (string processId, string? lang, DefinitionCatalog catalog) =>
                catalog.Current(processId) is { } definition
                    ? Results.Text(ProcessDiagram.Render(definition, lang ?? "zh-CN"), "image/svg+xml; charset=utf-8")
                    : Problems.NotFound($"There is no process '{processId}'."))
            .WithName("GetProcessDiagram")
            .WithSummary("A diagram (SVG) of the process's steps; lang=zh-CN (default) or en")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static ProcessSummary Summarise(WorkflowDefinition d) => new(
        d.Id, d.Version, d.Revision, d.Name, d.Description, d.StartableBy, d.Inputs, Activities(d),
        $"/api/processes/{d.Id}", $"/api/processes/{d.Id}/diagram.svg");

    private static ProcessDetail Detail(WorkflowDefinition d) => new(
        d.Id, d.Version, d.Revision, d.Name, d.Description, d.StartableBy, d.Inputs, d.Start, Activities(d),
        [.. d.Transitions.Select(t => new TransitionSummary(t.From, t.Outcome, t.To))], $"/api/processes/{d.Id}/diagram.svg");

    private static List<ActivitySummary> Activities(WorkflowDefinition d) =>
        [.. d.Activities.Select(a => new ActivitySummary(a.Id, a.Type, a.Name, a.DeclaredOutcomes()))];
}
