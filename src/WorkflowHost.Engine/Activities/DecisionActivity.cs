using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>Chooses the outcome of the first rule whose condition holds on the instance data, else <see cref="Otherwise"/>.</summary>
public sealed record DecisionActivity : ActivityDefinition
{
    public const string TypeName = "decision";

    [JsonIgnore]
    public override string Type => TypeName;

    public required IReadOnlyList<DecisionRule> Rules { get; init; }

    public required string Otherwise { get; init; }

    public override IReadOnlyList<string> DeclaredOutcomes() => [.. Rules.Select(r => r.Outcome).Append(Otherwise).Distinct()];

    internal override void Enter(ExecutionScope scope)
    {
        var data = scope.DataView();
        var outcome = Rules.FirstOrDefault(r => r.When.Holds(data))?.Outcome ?? Otherwise;
        scope.Journal("DecisionTaken", new JsonObject { ["activity"] = Id, ["outcome"] = outcome });
        scope.Complete(outcome);
    }
}

public sealed record DecisionRule
{
    public required string Outcome { get; init; }

    public required Condition When { get; init; }
}
