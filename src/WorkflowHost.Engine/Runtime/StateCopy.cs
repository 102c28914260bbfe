using System.Text.Json.Nodes;
using WorkflowHost.Engine.Ballots;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// The runner's working copy of a state: everything mutable is copied, immutable records are shared. It replaced a
/// JSON round trip (serialise, parse) that allocated about 13 KB per vote, nine tenths of a vote's allocations.
/// A property added to <see cref="InstanceState"/>, <see cref="Bookmark"/> or <see cref="BallotState"/> must be
/// added here too; <c>StateCopyTests</c> fails until it is.
/// </summary>
internal static class StateCopy
{
    public static InstanceState Of(InstanceState state) => new()
    {
        InstanceId = state.InstanceId,
        CommunityId = state.CommunityId,
        DefinitionId = state.DefinitionId,
        DefinitionHash = state.DefinitionHash,
        Initiator = state.Initiator,
        Status = state.Status,
        Result = state.Result,
        Input = Json(state.Input),
        Variables = Json(state.Variables),
        Bookmarks = state.Bookmarks.ConvertAll(Of),
        ClosedBookmarks = [.. state.ClosedBookmarks],
        JoinArrivals = new Dictionary<string, int>(state.JoinArrivals, state.JoinArrivals.Comparer),
        CopiedTo = [.. state.CopiedTo],
        CopiesWithdrawn = [.. state.CopiesWithdrawn],
        PreparedBy = [.. state.PreparedBy],
        PreparedReadingEnded = [.. state.PreparedReadingEnded],
        NextSequence = state.NextSequence,
        StartedAt = state.StartedAt,
        UpdatedAt = state.UpdatedAt,
        EndedAt = state.EndedAt,
    };

    private static Bookmark Of(Bookmark bookmark) => new()
    {
        Id = bookmark.Id,
        ActivityId = bookmark.ActivityId,
        Kind = bookmark.Kind,
        CreatedAt = bookmark.CreatedAt,
        DueAt = bookmark.DueAt,
        Task = bookmark.Task, // a record with a read-only list: nothing changes it in place
        Ballot = bookmark.Ballot is null ? null : Of(bookmark.Ballot),
        DeadlineGeneration = bookmark.DeadlineGeneration,
        TimerIds = [.. bookmark.TimerIds],
    };

    private static BallotState Of(BallotState ballot) => new()
    {
        Voters = [.. ballot.Voters],
        Recusals = [.. ballot.Recusals],
        Options = [.. ballot.Options],
        Secret = ballot.Secret,
        ClosesAt = ballot.ClosesAt,
        Participants = [.. ballot.Participants],
        Totals = new Dictionary<string, int>(ballot.Totals, ballot.Totals.Comparer),
        OpenVotes = new Dictionary<string, VoteRecord>(ballot.OpenVotes, ballot.OpenVotes.Comparer),
        AnonymousReasons = [.. ballot.AnonymousReasons],
        Attendance = [.. ballot.Attendance],
        MeetingRecordedBy = ballot.MeetingRecordedBy,
        MeetingAttestation = ballot.MeetingAttestation,
    };

    /// <summary>
    /// A JSON object is copied through its text, not <see cref="JsonNode.DeepClone"/>: parsed values are what a state
    /// read from the store holds, so a value an activity created in code (an <c>int</c>, say) reads the same way in
    /// the next step whether the state stayed in memory or went through the database.
    /// </summary>
    private static JsonObject Json(JsonObject node) => JsonNode.Parse(node.ToJsonString(EngineJson.Options), NodeOptions)!.AsObject();

    /// <summary>What the serializer gives the JSON objects it reads with <see cref="EngineJson.Options"/>.</summary>
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = EngineJson.Options.PropertyNameCaseInsensitive };
}
