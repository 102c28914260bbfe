using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// A comment on a running instance (the discussion of an agenda item, a remark on a file), optionally on one of its open
/// steps. Any participant may comment: the initiator, the people a step of the instance is open for, and the roles the
/// definition names in <c>commentableBy</c>. It changes no flow; it is journaled and stored for listing.
/// <paramref name="Files"/> are attachment ids, accepted when the definition sets <c>commentFiles</c>.
/// </summary>
public sealed record AddComment(string ActorId, string Text, string? BookmarkId = null, IReadOnlyList<Guid>? Files = null) : Stimulus
{
    public const int MaxLength = 2000;

    public override string Kind => "comment";
}

/// <summary>
/// The secretary (a ballot's <c>offlineVotesBy</c> role) records a physical meeting on an open ballot: who was present,
/// the votes cast there, and an attestation of how and where. All or nothing: one invalid vote refuses the whole record.
/// Votes count like online votes; only members present can have a vote entered.
/// </summary>
public sealed record RecordMeetingVotes(string BookmarkId, string ActorId, IReadOnlyList<string> Present, IReadOnlyList<MeetingVote> Votes, string Attestation) : Stimulus
{
    public override string Kind => "record-meeting-votes";
}

public sealed record MeetingVote(string VoterId, string Choice, string? Reason = null);

/// <summary>A contribution to an open collection window (a unit's pledge, a sign-up), checked against its item fields.</summary>
public sealed record Contribute(string BookmarkId, string ActorId, JsonObject Item) : Stimulus
{
    public override string Kind => "contribute";
}

/// <summary>Takes back a contribution while its collection window is open; only the contributor or a colleague of the same unit may.</summary>
public sealed record RetractContribution(string BookmarkId, string ActorId, int Index, string? Reason = null) : Stimulus
{
    public override string Kind => "retract-contribution";
}
