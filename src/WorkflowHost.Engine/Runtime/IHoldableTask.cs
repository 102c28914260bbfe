using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Engine.Runtime;

/// <summary>A task activity whose tasks can move between people (claim, release, transfer, delegate); see TaskHolding.cs.</summary>
internal interface IHoldableTask
{
    TaskMoveRules MoveRules { get; }
}
