using System.Text.Json.Nodes;
using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Features.Communities;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Web;

namespace WorkflowHost.Features.InService;

/// <summary>
/// What the start form on /submit offers to choose from instead of typing ids: every unit field lists the community's units
/// (those that have not left), and the consultation's <c>nomineeMember</c> lists the registered in-service members of the
/// liaison's own unit, so the community record is matched by registration rather than by name.
/// </summary>
public sealed class StartFormChoices(DirectoryReader directory, InServiceRecords records)
{
    public const string NomineeMemberField = "nomineeMember";
    public const string NomineeNameField = "nomineeName";

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<FieldChoice>>> ForAsync(WorkflowDefinition definition, Caller caller, Texts t, CancellationToken cancellationToken)
    {
        var choices = new Dictionary<string, IReadOnlyList<FieldChoice>>(StringComparer.Ordinal);
        var fields = definition.Inputs.Concat(definition.Inputs.SelectMany(f => f.Items ?? [])).ToList();
        if (fields.Any(f => f.Type == InputFieldType.Unit) && await directory.ReadAsync(caller.CommunityId, cancellationToken) is { } view)
        {
            IReadOnlyList<FieldChoice> units = [.. view.Units.Where(u => u.LeftOn is null)
                .Select(u => new FieldChoice(u.Id, t.En ? u.NameEn : u.NameZh)).OrderBy(c => c.Label, StringComparer.Ordinal)];
            foreach (var field in fields.Where(f => f.Type == InputFieldType.Unit))
            {
                choices[field.Name] = units;
            }
        }

        if (definition.Inputs.Any(f => f.Name == NomineeMemberField && f.Type == InputFieldType.Person) && caller.LiaisonOfUnit is { } unit)
        {
            choices[NomineeMemberField] = [.. (await records.RosterAsync(caller.CommunityId, unit, cancellationToken: cancellationToken))
                .Select(r => new FieldChoice(r.PersonId, r.NameZh))];
        }

        return choices;
    }

    /// <summary>A registered member chosen and no name typed: the name is the member's (the form needs no script to fill it).</summary>
    public static void FillNomineeName(JsonObject input, IReadOnlyDictionary<string, IReadOnlyList<FieldChoice>> choices)
    {
        if (input[NomineeMemberField] is JsonValue chosen && chosen.TryGetValue<string>(out var member)
            && (input[NomineeNameField] is not JsonValue name || !name.TryGetValue<string>(out var typed) || string.IsNullOrWhiteSpace(typed))
            && choices.GetValueOrDefault(NomineeMemberField)?.FirstOrDefault(c => c.Value == member) is { } choice)
        {
            input[NomineeNameField] = choice.Label;
        }
    }
}
