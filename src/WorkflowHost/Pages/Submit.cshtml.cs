using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Features.InService;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// Start a process from a form generated from its input fields. The input is checked by the API's own validator (the
/// engine's field check) and started by the same command; each invalid field gets its message next to it.
/// </summary>
public sealed class SubmitModel(DefinitionCatalog catalog, IValidator<StartRequest> validator, WorkflowCommands commands, StartFormChoices choices) : WebPageModel
{
    public WorkflowDefinition? Definition { get; private set; }

    public IReadOnlyList<WorkflowDefinition> Startable { get; private set; } = [];

    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Invalid { get; } = new(StringComparer.Ordinal);

    public bool Refused { get; private set; }

    /// <summary>Units and registered members to choose from (<see cref="StartFormChoices"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FieldChoice>> Choices { get; private set; } = new Dictionary<string, IReadOnlyList<FieldChoice>>();

    public override string Title => Definition?.Name.For(T.Language) ?? T.ChooseProcess;

    public async Task<IActionResult> OnGetAsync(string? process, CancellationToken cancellationToken)
    {
        Load(process);
        if (Definition is not null)
        {
            Choices = await choices.ForAsync(Definition, Me, T, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? process, CancellationToken cancellationToken)
    {
        Load(process);
        if (Definition is null)
        {
            return NotFound();
        }

        Choices = await choices.ForAsync(Definition, Me, T, cancellationToken);
        var input = FormFields.Read(Definition.Inputs, Request.Form, string.Empty, Values);
        StartFormChoices.FillNomineeName(input, Choices);

        var validation = await validator.ValidateAsync(new StartRequest(Definition.Id, input), cancellationToken);
        if (!validation.IsValid)
        {
            foreach (var error in validation.Errors)
            {
                Invalid.Add(error.PropertyName.StartsWith("input.", StringComparison.Ordinal) ? error.PropertyName["input.".Length..] : error.PropertyName);
            }

            return Page();
        }

        var result = await commands.StartAsync(new StartCommand(Definition.Id, Me.CommunityId, Me.PersonId, input), cancellationToken);
        if (!result.Succeeded)
        {
            foreach (var field in result.Errors?.Keys ?? [])
            {
                Invalid.Add(field);
            }

            Refused = Invalid.Count == 0;
            return Page();
        }

        return Redirect($"/instances/{result.InstanceId}?submitted=true");
    }

    private void Load(string? process)
    {
        Startable = [.. catalog.Published.Where(d => d.StartableBy.Any(Me.Has))];
        Definition = process is null ? (Startable.Count == 1 ? Startable[0] : null) : Startable.FirstOrDefault(d => d.Id == process);
    }
}
