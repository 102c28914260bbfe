using System.Text.Json.Nodes;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// A member leaving the committee while a ballot is open (docs/decisions/0109). The voters stay the ones fixed at the
/// opening; joining members never enter. Whoever leaves after voting keeps the vote; whoever leaves before voting is
/// taken out of the eligible count as an automatic recusal, so every count, reminder and the store's voter row follow
/// the one rule recusals already obey, while the journal says it was a departure.
/// </summary>
public sealed partial record BallotActivity
{
    /// <summary>The recusal reason recorded for a member who left before voting; the journal carries the date and change.</summary>
    public const string LeftCommitteeReason = "left the committee";

    Refusal? IBallotActivity.VoterLeft(ExecutionScope scope, Bookmark bookmark, VoterLeft left)
    {
        var ballot = bookmark.Ballot!;
        if (!ballot.Voters.Contains(left.VoterId))
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{left.VoterId}' is not a voter on this ballot.");
        }

        if (ballot.IsRecused(left.VoterId))
        {
            // Already out of the count (recused, or an earlier departure): nothing changes.
            return new Refusal(RefusalCode.Recused, $"'{left.VoterId}' is recused from this ballot.");
        }

        var voted = ballot.Participants.BinarySearch(left.VoterId, StringComparer.Ordinal) >= 0;
        var journal = new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["voter"] = left.VoterId,
            ["leftOn"] = left.LeftOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["change"] = left.ChangeId,
            ["voteKept"] = voted,
        };
        if (voted)
        {
            scope.Journal(JournalEventTypes.VoterLeft, journal);
            return null;
        }

        ballot.Recusals.Add(new RecusalRecord(left.VoterId, LeftCommitteeReason, Automatic: true));
        scope.Emit(new RecusalRecorded(bookmark.Id, new Recusal(left.VoterId, LeftCommitteeReason, Automatic: true)));
        journal["eligible"] = ballot.EligibleCount;
        scope.Journal(JournalEventTypes.VoterLeft, journal);
        TryClose(scope, bookmark, deadlineReached: false, firedTimerId: null);
        return null;
    }
}
