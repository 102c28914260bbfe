using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>Votes cast at a physical meeting (线下表决), entered with the attendance list and attested by the secretary.</summary>
public sealed partial record BallotActivity
{
    Refusal? IBallotActivity.RecordMeeting(ExecutionScope scope, Bookmark bookmark, RecordMeetingVotes meeting)
    {
        var ballot = bookmark.Ballot!;
        if (scope.Context.Directory.Find(meeting.ActorId)?.HasRole(OfflineVotesBy) != true)
        {
            return new Refusal(RefusalCode.NotAllowed, $"Only the {OfflineVotesBy} can record a meeting's votes.");
        }

        var errors = new Dictionary<string, List<string>>();
        void Error(string key, string message) => (errors.TryGetValue(key, out var list) ? list : errors[key] = []).Add(message);

        if (string.IsNullOrWhiteSpace(meeting.Attestation))
        {
            Error("attestation", "An attestation is required: where and how the votes were cast.");
        }
        else if (meeting.Attestation.Length > 1000)
        {
            Error("attestation", "The attestation must be at most 1000 characters.");
        }

        if (meeting.Present.Count == 0)
        {
            Error("present", "The attendance list is empty.");
        }

        foreach (var person in meeting.Present.Where(p => scope.Context.Directory.Find(p) is null))
        {
            Error("present", $"'{person}' is not known in this community.");
        }

        if (meeting.Present.Distinct(StringComparer.Ordinal).Count() != meeting.Present.Count)
        {
            Error("present", "Someone is listed twice.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < meeting.Votes.Count; i++)
        {
            var vote = meeting.Votes[i];
            var key = $"votes[{i}]";
            if (!meeting.Present.Contains(vote.VoterId))
            {
                Error(key, $"'{vote.VoterId}' is not on the attendance list.");
            }

            if (!seen.Add(vote.VoterId))
            {
                Error(key, $"'{vote.VoterId}' has two votes in this record.");
            }
            else if (Check(ballot, vote.VoterId) is { } problem)
            {
                Error(key, problem.Message);
            }

            if (!ballot.Options.Contains(vote.Choice))
            {
                Error(key, $"'{vote.Choice}' is not an option of this ballot; expected one of: {string.Join(", ", ballot.Options)}.");
            }
        }

        if (errors.Count > 0)
        {
            return new Refusal(RefusalCode.InvalidInput, "The meeting record is not valid; nothing was recorded.",
                errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        foreach (var person in meeting.Present.Where(p => ballot.Attendance.BinarySearch(p, StringComparer.Ordinal) < 0))
        {
            InsertSorted(ballot.Attendance, person);
        }

        ballot.MeetingRecordedBy = meeting.ActorId;
        ballot.MeetingAttestation = meeting.Attestation.Trim();
        scope.Journal(JournalEventTypes.MeetingVotesRecorded, new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["by"] = meeting.ActorId,
            ["attestation"] = ballot.MeetingAttestation,
            ["present"] = new JsonArray([.. meeting.Present.Order(StringComparer.Ordinal).Select(p => JsonValue.Create(p))]),
            ["voters"] = new JsonArray([.. meeting.Votes.Select(v => v.VoterId).Order(StringComparer.Ordinal).Select(p => JsonValue.Create(p))]),
        });

        // Entered in voter order, not the order written on the form, so a secret ballot's journal says nothing about the paper order.
        foreach (var vote in meeting.Votes.OrderBy(v => v.VoterId, StringComparer.Ordinal))
        {
            RecordVote(scope, bookmark, vote.VoterId, vote.Choice, vote.Reason, meeting.ActorId);
        }

        TryClose(scope, bookmark, deadlineReached: false, firedTimerId: null);
        return null;
    }
}
