namespace WorkflowHost.Engine.Runtime;

/// <summary>A blocking activity whose deadline the secretary can move.</summary>
internal interface IExtendable
{
    Refusal? ExtendDeadline(ExecutionScope scope, Bookmark bookmark, ExtendDeadline extend);
}
