using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>Starts every branch that leaves it; branches meet again at a <see cref="JoinActivity"/>.</summary>
public sealed record ParallelSplitActivity : ActivityDefinition
{
    public const string TypeName = "parallelSplit";

    public override bool FansOut => true;

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope) => scope.Complete(Outcomes.Done);
}

/// <summary>Waits until the flow has arrived along every incoming transition, then continues once.</summary>
public sealed record JoinActivity : ActivityDefinition
{
    public const string TypeName = "join";

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope)
    {
        var expected = scope.Definition.Transitions.Count(t => t.To == Id);
        var arrived = scope.State.JoinArrivals.GetValueOrDefault(Id) + 1;
        if (arrived < expected)
        {
            scope.State.JoinArrivals[Id] = arrived;
            return;
        }

        scope.State.JoinArrivals.Remove(Id);
        scope.Journal(JournalEventTypes.BranchesJoined, new JsonObject { ["activity"] = Id, ["branches"] = expected });
        scope.Complete(Outcomes.Done);
    }
}

/// <summary>Ends the instance with a result (e.g. <c>consent</c>); any other open step is closed.</summary>
public sealed record EndActivity : ActivityDefinition
{
    public const string TypeName = "end";

    public required string Result { get; init; }

    public LocalizedText? Label { get; init; }

    public override IReadOnlyList<string> DeclaredOutcomes() => [];

    internal override void Enter(ExecutionScope scope)
    {
        scope.EndInstance(InstanceStatus.Completed, Result, CloseReason.InstanceEnded);
        scope.Journal(JournalEventTypes.InstanceCompleted, new JsonObject { ["activity"] = Id, ["result"] = Result });
    }
}
