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
    public const string InstanceStarted = nameof(InstanceStarted);
    public const string InstanceCompleted = nameof(InstanceCompleted);
    public const string InstanceWithdrawn = nameof(InstanceWithdrawn);
    public const string InputAmended = nameof(InputAmended);
    public const string CommentAdded = nameof(CommentAdded);
    public const string DecisionTaken = nameof(DecisionTaken);
    public const string BranchesJoined = nameof(BranchesJoined);
    public const string NotificationsQueued = nameof(NotificationsQueued);

    public const string TaskOpened = nameof(TaskOpened);
    public const string TaskCompleted = nameof(TaskCompleted);
    public const string TaskOverdue = nameof(TaskOverdue);
    public const string ItemTasksOpened = nameof(ItemTasksOpened);
    public const string ItemTasksCompleted = nameof(ItemTasksCompleted);
    public const string ItemTasksClosedEarly = nameof(ItemTasksClosedEarly);

    public const string BallotOpened = nameof(BallotOpened);
    public const string VoteCast = nameof(VoteCast);
    public const string Recused = nameof(Recused);

    /// <summary>A voter left the committee while the ballot was open: out of the eligible count, or kept when already voted (decision 109).</summary>
    public const string VoterLeft = nameof(VoterLeft);
    public const string MeetingVotesRecorded = nameof(MeetingVotesRecorded);
    public const string BallotOverdue = nameof(BallotOverdue);
    public const string BallotDeadlineReached = nameof(BallotDeadlineReached);
    public const string BallotClosed = nameof(BallotClosed);
    public const string BallotClosedBySecretary = nameof(BallotClosedBySecretary);
    public const string StepUrged = nameof(StepUrged);

    // Moves of a task between people (Activities/TaskHolding.cs); each names the bookmark, who moved it and why.
    public const string TaskClaimed = nameof(TaskClaimed);
    public const string TaskReleased = nameof(TaskReleased);
    public const string TaskOfferedBack = nameof(TaskOfferedBack);
    public const string TaskTransferred = nameof(TaskTransferred);
    public const string TaskDelegated = nameof(TaskDelegated);
    public const string TaskDelegationReturned = nameof(TaskDelegationReturned);

    /// <summary>加签: opinions asked for, given, or not given in time (Activities/Signers.cs).</summary>
    public const string SignersAdded = nameof(SignersAdded);
    public const string SignerOpinionGiven = nameof(SignerOpinionGiven);
    public const string SignerOpinionMissed = nameof(SignerOpinionMissed);

    /// <summary>A task for a person on leave went to their deputy (Activities/Absences.cs).</summary>
    public const string TaskRoutedToDeputy = nameof(TaskRoutedToDeputy);

    /// <summary>抄送: who copied whom on the case, with the note (Activities/Copies.cs).</summary>
    public const string CaseCopied = nameof(CaseCopied);

    /// <summary>Read access taken back (Activities/ReaderWithdrawals.cs): a copy withdrawn, a delegate's reading ended; who, whom, why.</summary>
    public const string CaseCopyWithdrawn = nameof(CaseCopyWithdrawn);
    public const string DelegateReadingEnded = nameof(DelegateReadingEnded);

    /// <summary>书面意见: a voter's written opinion on an open ballot, shown with it and never counted.</summary>
    public const string WrittenOpinionLeft = nameof(WrittenOpinionLeft);

    public const string CollectionOpened = nameof(CollectionOpened);
    public const string ContributionAdded = nameof(ContributionAdded);
    public const string ContributionRetracted = nameof(ContributionRetracted);
    public const string CollectionClosed = nameof(CollectionClosed);

    public const string TimerStarted = nameof(TimerStarted);
    public const string TimerSkipped = nameof(TimerSkipped);
    public const string TimerElapsed = nameof(TimerElapsed);
    public const string TimerFired = nameof(TimerFired);
    public const string ReminderSent = nameof(ReminderSent);
    public const string Escalated = nameof(Escalated);
    public const string DeadlineExtended = nameof(DeadlineExtended);

    // Written by the store, in the step's transaction.
    public const string NumberIssued = nameof(NumberIssued);
    public const string DocumentIssued = nameof(DocumentIssued);
    public const string DataAttached = nameof(DataAttached);
    public const string RecordsWritten = nameof(RecordsWritten);
    public const string FacilityReserved = nameof(FacilityReserved);
    public const string FacilitiesReleased = nameof(FacilitiesReleased);
}
