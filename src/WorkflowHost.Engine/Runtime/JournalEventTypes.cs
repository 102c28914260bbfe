namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// The type of every journal event, as stored in <c>JournalEvents.Type</c> and covered by the hash chain: never rename one,
/// events already written keep their old name. The engine writes the first group (<see cref="ExecutionScope.Journal"/>);
/// the store writes the second while it applies a step's effects. Readers (the timeline's secret-ballot filter, the
/// instance view) match these names, not literals.
/// </summary>
public static class JournalEventTypes
{
    // Written by the engine.
    public const string InstanceStarted = "InstanceStarted";
    public const string InstanceCompleted = "InstanceCompleted";
    public const string InstanceWithdrawn = "InstanceWithdrawn";
    public const string InputAmended = "InputAmended";
    public const string CommentAdded = "CommentAdded";
    public const string DecisionTaken = "DecisionTaken";
    public const string BranchesJoined = "BranchesJoined";
    public const string NotificationsQueued = "NotificationsQueued";

    public const string TaskOpened = "TaskOpened";
    public const string TaskCompleted = "TaskCompleted";
    public const string TaskOverdue = "TaskOverdue";
    public const string ItemTasksOpened = "ItemTasksOpened";
    public const string ItemTasksCompleted = "ItemTasksCompleted";
    public const string ItemTasksClosedEarly = "ItemTasksClosedEarly";

    public const string BallotOpened = "BallotOpened";
    public const string VoteCast = "VoteCast";
    public const string Recused = "Recused";
    public const string MeetingVotesRecorded = "MeetingVotesRecorded";
    public const string BallotOverdue = "BallotOverdue";
    public const string BallotDeadlineReached = "BallotDeadlineReached";
    public const string BallotClosed = "BallotClosed";

    public const string CollectionOpened = "CollectionOpened";
    public const string ContributionAdded = "ContributionAdded";
    public const string ContributionRetracted = "ContributionRetracted";
    public const string CollectionClosed = "CollectionClosed";

    public const string TimerStarted = "TimerStarted";
    public const string TimerSkipped = "TimerSkipped";
    public const string TimerElapsed = "TimerElapsed";
    public const string TimerFired = "TimerFired";
    public const string ReminderSent = "ReminderSent";
    public const string Escalated = "Escalated";
    public const string DeadlineExtended = "DeadlineExtended";

    // Written by the store, in the step's transaction.
    public const string NumberIssued = "NumberIssued";
    public const string DocumentIssued = "DocumentIssued";
    public const string DataAttached = "DataAttached";
    public const string RecordsWritten = "RecordsWritten";
    public const string FacilityReserved = "FacilityReserved";
    public const string FacilitiesReleased = "FacilitiesReleased";
}
