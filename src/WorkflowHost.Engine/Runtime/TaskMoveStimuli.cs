namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// 认领: one of the people a task is offered to (a role, a unit's liaisons) takes it, so the others see it is in hand and
/// only the holder completes it. A second claim on a held task is refused with <see cref="RefusalCode.AlreadyClaimed"/>.
/// </summary>
public sealed record ClaimTask(string BookmarkId, string ActorId) : Stimulus
{
    public override string Kind => "claim-task";
}

/// <summary>释放: the holder puts a claimed task back, offered again to everyone it was offered to.</summary>
public sealed record ReleaseTask(string BookmarkId, string ActorId, string? Reason = null) : Stimulus
{
    public override string Kind => "release-task";
}

/// <summary>转交: the holder passes the task to another person who may hold it (the same role or unit, in the same community), with a reason.</summary>
public sealed record TransferTask(string BookmarkId, string ActorId, string ToPersonId, string Reason) : Stimulus
{
    public override string Kind => "transfer-task";
}

/// <summary>委派: the holder asks a colleague to prepare the task; the task stays the holder's to complete.</summary>
public sealed record DelegateTask(string BookmarkId, string ActorId, string ToPersonId, string? Note = null) : Stimulus
{
    public override string Kind => "delegate-task";
}

/// <summary>The colleague a task was delegated to hands it back to the holder with a note of what they prepared.</summary>
public sealed record ReturnDelegatedTask(string BookmarkId, string ActorId, string Note) : Stimulus
{
    public override string Kind => "return-delegated-task";
}

/// <summary>
/// 加签: the holder asks one or more people for an opinion before deciding (where the activity's <c>moves.addSigners</c>
/// allows it). Each gets an opinion task; the holder's task waits until every opinion is in or its deadline passed, and
/// is never decided by them. <paramref name="DueAt"/> is the holder's own deadline for the opinions: later than now and
/// no later than the definition's <c>due</c>, which is the deadline when it is absent.
/// </summary>
public sealed record AddSigners(string BookmarkId, string ActorId, IReadOnlyList<string> Signers, string? Question = null, DateTimeOffset? DueAt = null) : Stimulus
{
    public const int MaxSigners = 10;

    public override string Kind => "add-signers";
}

/// <summary>Limits shared by the moves and the API's validators.</summary>
public static class TaskMoveLimits
{
    public const int MaxReasonLength = 500;
    public const int MaxNoteLength = 2000;
}

/// <summary>
/// A leave (请假) has started for <paramref name="PersonId"/> (docs/decisions/0132): the store sends this to each running
/// case where the person has a task in hand. Tasks assigned to them by name go to their deputy; tasks of a role or a unit
/// they claimed are offered back to the others. Refused (nothing changes) when they are not away today or nothing moves.
/// </summary>
public sealed record RouteForLeave(string PersonId) : Stimulus
{
    public override string Kind => "route-for-leave";
}

/// <summary>An open task now belongs to someone else by name (a deputy, for a leave that started while it was open).</summary>
public sealed record TaskReassigned(string BookmarkId, Assignment Assignee) : Effect;
