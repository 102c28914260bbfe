namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// The secretary closes an overdue ballot (its <c>due</c> deadline has passed) with a reason. The rule is applied to the
/// votes cast as at a hard close: passed only if the votes already carry it, otherwise rejected or no quorum; the time
/// alone never consents.
/// </summary>
public sealed record CloseOverdueBallot(string BookmarkId, string ActorId, string Reason) : Stimulus
{
    public const int MaxReasonLength = 500;

    public override string Kind => "close-overdue-ballot";
}

/// <summary>
/// 催办: the secretary or the office reminds everyone who has not yet acted on an open step, now. At most once per step
/// and working day, so an urge stays a nudge and never becomes a flood.
/// </summary>
public sealed record UrgeStep(string BookmarkId, string ActorId) : Stimulus
{
    public static readonly IReadOnlyList<string> UrgedBy = [RoleNames.Secretary, RoleNames.Office];

    public override string Kind => "urge";
}

/// <summary>An open step whose people can be urged: those who have not acted on it yet.</summary>
internal interface IUrgeable
{
    IReadOnlyList<string> NotActed(ExecutionScope scope, Bookmark bookmark);
}
