using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// Secret or open per instance (<see cref="SecretFrom"/>), and the record each closing leaves: a ballot that runs again
/// (a re-vote, 复议) adds a round instead of overwriting the first, and every round carries its margin.
/// </summary>
public sealed partial record BallotActivity
{
    private bool IsSecret(ExecutionScope scope)
    {
        if (SecretFrom is null)
        {
            return Secret;
        }

        var value = DataPath.Resolve(scope.DataView(), SecretFrom);
        return value is JsonValue json && json.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? json.GetValue<bool>() : Secret;
    }

    /// <summary>
    /// The difference between the votes for the pass option and the strongest other option (abstentions included), as a
    /// number of votes: 0 is a tie, a small margin a sharply split result a decision can route to a deferral.
    /// </summary>
    public static int Margin(IReadOnlyDictionary<string, int> totals, string passOption)
    {
        var yes = totals.GetValueOrDefault(passOption);
        var strongestOther = totals.Where(t => t.Key != passOption).Select(t => t.Value).DefaultIfEmpty(0).Max();
        return Math.Abs(yes - strongestOther);
    }

    /// <summary>
    /// Writes the closing record under <c>activities.{id}</c>: the latest round's keys at the top (so conditions read the
    /// current result) and every round, this one included, under <c>rounds</c>.
    /// </summary>
    private void RecordRound(ExecutionScope scope, BallotState ballot, JsonObject record)
    {
        var rounds = scope.State.Variables[Id]?["rounds"] is JsonArray earlier ? (JsonArray)earlier.DeepClone() : [];
        record["round"] = rounds.Count + 1;
        record["margin"] = Margin(ballot.Totals, Rule.Pass.Option);
        record["recusals"] = new JsonArray([.. ballot.Recusals
            .OrderBy(r => r.VoterId, StringComparer.Ordinal)
            .Select(r => (JsonNode)new JsonObject { ["member"] = r.VoterId, ["reason"] = r.Reason, ["automatic"] = r.Automatic })]);
        record["voted"] = new JsonArray([.. ballot.Participants.Select(p => JsonValue.Create(p))]);
        if (ballot.MeetingRecordedBy is not null)
        {
            record["attendance"] = new JsonArray([.. ballot.Attendance.Select(p => JsonValue.Create(p))]);
            record["meetingRecordedBy"] = ballot.MeetingRecordedBy;
            record["attestation"] = ballot.MeetingAttestation;
        }

        rounds.Add(record.DeepClone());
        record["rounds"] = rounds;
        scope.State.Variables[Id] = record;
    }
}
