namespace WorkflowHost.Engine.Runtime;

/// <summary>An activity that waits on a bookmark and must be told when the instance ends without it.</summary>
internal interface IBlockingActivity
{
    void Cancel(ExecutionScope scope, Bookmark bookmark, CloseReason reason);

    /// <summary>One of the bookmark's timers fell due.</summary>
    Refusal? TimerFired(ExecutionScope scope, Bookmark bookmark, string timerId);
}
