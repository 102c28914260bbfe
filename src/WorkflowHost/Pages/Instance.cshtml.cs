using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Instances;
using WorkflowHost.Features.Processes;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>One instance: the file, where it stands (the process diagram with the current steps highlighted), its steps and its reply.</summary>
public sealed class InstanceModel(InstanceReader reader, DefinitionCatalog catalog) : WebPageModel
{
    public InstanceView Instance { get; private set; } = null!;

    public WorkflowDefinition? Definition { get; private set; }

    public bool Submitted { get; private set; }

    public override string Title => Instance?.ProcessName?.For(T.Language) ?? T.Details;

    public async Task<IActionResult> OnGetAsync(Guid id, bool submitted, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(Me, id, cancellationToken) is not { } instance)
        {
            return NotFound();
        }

        Instance = instance;
        Definition = catalog.Current(instance.Process);
        Submitted = submitted;
        return Page();
    }

    /// <summary>The API's diagram of the process, with a style that marks the steps now open.</summary>
    public string DiagramSvg()
    {
        if (Definition is null)
        {
            return "";
        }

        var svg = ProcessDiagram.Render(Definition, T.Language);
        var style = new StringBuilder("<style>");
        foreach (var step in Instance.CurrentSteps)
        {
            var id = step.Activity.Replace("\"", "", StringComparison.Ordinal);
            style.Append(CultureInfo.InvariantCulture, $"g.activity[data-id=\"{id}\"] rect{{fill:#fef3c7;stroke:#a4161a;stroke-width:3}}g.activity[data-id=\"{id}\"] text{{font-weight:700}}");
        }

        style.Append("</style>");
        var at = svg.IndexOf('>', svg.IndexOf("<svg", StringComparison.Ordinal)) + 1;
        return svg.Insert(at, style.ToString());
    }

    public DocumentView? ReplyDocument => Instance.Documents.Count > 0 ? Instance.Documents[^1] : null;

    public string Nominee => Instance.Input["nomineeName"]?.ToString() ?? "";
}
