namespace WorkflowHost.Engine.Runtime;

/// <summary>An activity whose bookmarks are ballots: members vote or recuse, and the secretary enters a meeting's votes.</summary>
internal interface IBallotActivity
{
    Refusal? Vote(ExecutionScope scope, Bookmark bookmark, CastVote vote);

    Refusal? Recuse(ExecutionScope scope, Bookmark bookmark, Recuse recuse);

    Refusal? VoterLeft(ExecutionScope scope, Bookmark bookmark, VoterLeft left);

    Refusal? RecordMeeting(ExecutionScope scope, Bookmark bookmark, RecordMeetingVotes meeting);
}
