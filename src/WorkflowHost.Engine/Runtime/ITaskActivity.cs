namespace WorkflowHost.Engine.Runtime;

/// <summary>An activity whose bookmarks are tasks completed with <see cref="CompleteTask"/>.</summary>
internal interface ITaskActivity
{
    Refusal? Complete(ExecutionScope scope, Bookmark bookmark, CompleteTask stimulus);
}
