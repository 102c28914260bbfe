using System.Text.Json.Nodes;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Runtime;

/// <summary>Something that happened to a running instance. Each names the bookmark it resumes.</summary>
public abstract record Stimulus
{
    /// <summary>A short name for journals and logs.</summary>
    public abstract string Kind { get; }
}

/// <summary>The starting stimulus; it has no bookmark. <paramref name="Input"/> is validated against the definition's fields.</summary>
public sealed record StartInstance(Guid InstanceId, string CommunityId, string InitiatorId, JsonObject Input) : Stimulus
{
    public override string Kind => "start";
}

/// <summary>
/// Completes a task with one of its outcomes. <paramref name="Data"/> fills the task's own form (<c>fields</c>), recorded
/// under <c>activities.{id}.data</c>; <paramref name="AmendedInput"/> amends the start form (tasks with <c>amendsInput</c>).
/// </summary>
public sealed record CompleteTask(string BookmarkId, string ActorId, string Outcome, string? Comment = null, JsonObject? AmendedInput = null, JsonObject? Data = null) : Stimulus
{
    public override string Kind => "complete-task";
}

/// <summary>
/// A vote. <paramref name="EnteredBy"/> is set when the secretary enters a vote cast at a physical meeting, with
/// <paramref name="Attestation"/> saying where and how it was cast (journaled with the vote).
/// </summary>
public sealed record CastVote(string BookmarkId, string VoterId, string Choice, string? Reason = null, string? EnteredBy = null, string? Attestation = null) : Stimulus
{
    public override string Kind => "cast-vote";
}

public sealed record Recuse(string BookmarkId, string VoterId, string Reason) : Stimulus
{
    public override string Kind => "recuse";
}

/// <summary>
/// A voter left the committee (end of a term, resignation, deactivation) while this ballot is open. The ballot's voters
/// were fixed when it opened; a vote already cast stays counted, a member who has not voted leaves the eligible count
/// (docs/decisions/0109). The store sends it to every open ballot the person is a voter on; <paramref name="LeftOn"/> and
/// <paramref name="ChangeId"/> tie the journal event to the directory change that caused it.
/// </summary>
public sealed record VoterLeft(string BookmarkId, string VoterId, DateOnly LeftOn, string ChangeId) : Stimulus
{
    public override string Kind => "voter-left";
}

public sealed record FireTimer(string TimerId) : Stimulus
{
    public override string Kind => "fire-timer";
}

public sealed record Withdraw(string ActorId, string? Reason = null) : Stimulus
{
    public override string Kind => "withdraw";
}

/// <summary>
/// The secretary moves a task's or ballot's deadline, by a span (<paramref name="By"/>, counted from the current deadline)
/// or to an instant (<paramref name="Until"/>), giving a reason. Pending reminders and escalations move with it.
/// </summary>
public sealed record ExtendDeadline(string BookmarkId, string ActorId, string Reason, DurationSpec? By = null, DateTimeOffset? Until = null) : Stimulus
{
    public override string Kind => "extend-deadline";
}
