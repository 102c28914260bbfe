using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>Chooses the outcome of the first rule whose condition holds on the instance data, else <see cref="Otherwise"/>.</summary>
public sealed record DecisionActivity : ActivityDefinition
{
    public const string TypeName = "decision";

    public required IReadOnlyList<DecisionRule> Rules { get; init; }

    public required string Otherwise { get; init; }

    public override IReadOnlyList<string> DeclaredOutcomes() => [.. Rules.Select(r => r.Outcome).Append(Otherwise).Distinct()];

    internal override void Enter(ExecutionScope scope)
    {
        var data = scope.DataView();
        var outcome = Rules.FirstOrDefault(r => r.When.Holds(data))?.Outcome ?? Otherwise;
        scope.Journal(JournalEventTypes.DecisionTaken, new JsonObject { ["activity"] = Id, ["outcome"] = outcome });
        scope.Complete(outcome);
    }
}

public sealed record DecisionRule
{
    public required string Outcome { get; init; }

    public required Condition When { get; init; }
}
