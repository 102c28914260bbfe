using System.Security;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Instances;
using WorkflowHost.Features.Processes;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>One instance: the file, where it stands (the process diagram with the current steps highlighted), its steps and its reply.</summary>
public sealed partial class InstanceModel(InstanceReader reader) : WebPageModel
{
    public InstanceView Instance { get; private set; } = null!;

    public WorkflowDefinition? Definition { get; private set; }

    public bool Submitted { get; private set; }

    public override string Title => TakenBack is not null ? T.ReadingTakenBackTitle : Instance?.ProcessName?.For(T.Language) ?? T.Details;

    public async Task<IActionResult> OnGetAsync(Guid id, bool submitted, CancellationToken cancellationToken)
    {
        Submitted = submitted;
        if (await LoadAsync(id, cancellationToken))
        {
            return Page();
        }

        // An old notice's link after the reader's copy was withdrawn (or reading ended): still a 404 and nothing of the
        // case, but a page that says what was taken back and when, from the reader's own notice, not a bare "not found".
        TakenBack = await HttpContext.RequestServices.GetRequiredService<Features.Copies.TakenBackReadings>().LatestAsync(Me, id, cancellationToken);
        if (TakenBack is null)
        {
            return NotFound();
        }

        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    /// <summary>Set only when the reader cannot open the case because their copy was withdrawn or their reading ended.</summary>
    public Features.Copies.TakenBackReading? TakenBack { get; private set; }

    /// <summary>The API's diagram of the process, with a style that marks the steps now open.</summary>
    public string DiagramSvg()
    {
        if (Definition is null)
        {
            return "";
        }

        // A class, not a <style> element: the Content-Security-Policy allows only the site's own style sheet (site.css
        // draws g.activity.open).
        var svg = ProcessDiagram.Render(Definition, T.Language);
        foreach (var step in Instance.CurrentSteps)
        {
            var id = SecurityElement.Escape(step.Activity);
            svg = svg.Replace($"<g class=\"activity\" data-id=\"{id}\"", $"<g class=\"activity open\" data-id=\"{id}\"", StringComparison.Ordinal);
        }

        return svg;
    }

    /// <summary>The consultation's reply (意见回执); minutes and other documents have their own page (/instances/{id}/documents/{number}).</summary>
    public DocumentView? ReplyDocument => Instance.Documents.LastOrDefault(d => d.Kind == "reply");

    public string Nominee => Instance.Input["nomineeName"]?.ToString() ?? "";
}
