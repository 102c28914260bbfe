using System.Text.Json.Nodes;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// Ballots are never delegated (docs/decisions/0117). A deputy cannot vote for a member on leave; the member may leave a
/// written opinion instead, kept under <c>activities.{id}.writtenOpinions</c>, journaled, shown, and never counted.
/// </summary>
public sealed partial record BallotActivity
{
    internal Refusal? LeaveOpinion(ExecutionScope scope, Bookmark bookmark, LeaveWrittenOpinion opinion)
    {
        var ballot = bookmark.Ballot!;
        if (ballot.Secret)
        {
            return new Refusal(RefusalCode.NotAllowed, "A secret ballot takes no written opinions: a signed opinion would show how its author leans.");
        }

        if (!ballot.Voters.Contains(opinion.VoterId))
        {
            return WrittenOpinions.NeverByDeputy(scope, ballot, opinion.VoterId)
                ?? new Refusal(RefusalCode.NotAllowed, $"'{opinion.VoterId}' is not a voter on this ballot.");
        }

        if (ballot.IsRecused(opinion.VoterId))
        {
            return new Refusal(RefusalCode.Recused, $"'{opinion.VoterId}' is recused from this ballot.");
        }

        var text = opinion.Text?.Trim() ?? "";
        if (text.Length == 0 || text.Length > LeaveWrittenOpinion.MaxLength)
        {
            var message = text.Length == 0 ? "A written opinion needs text." : $"A written opinion must be at most {LeaveWrittenOpinion.MaxLength} characters.";
            return new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { ["text"] = [message] });
        }

        var record = scope.VariablesOf(Id);
        if (record["writtenOpinions"] is not JsonArray opinions)
        {
            record["writtenOpinions"] = opinions = [];
        }

        if (opinions.OfType<JsonObject>().Any(o => o["bookmark"]?.GetValue<string>() == bookmark.Id && o["by"]?.GetValue<string>() == opinion.VoterId))
        {
            return new Refusal(RefusalCode.OpinionGiven, $"'{opinion.VoterId}' has already left a written opinion on this ballot.");
        }

        opinions.Add(new JsonObject { ["bookmark"] = bookmark.Id, ["by"] = opinion.VoterId, ["text"] = text, ["at"] = scope.Now });
        scope.Journal(JournalEventTypes.WrittenOpinionLeft, new JsonObject { ["bookmark"] = bookmark.Id, ["by"] = opinion.VoterId, ["text"] = text });
        return null;
    }
}

internal static class WrittenOpinions
{
    /// <summary>
    /// The clear refusal for a deputy trying to act for a member on a ballot: whoever is not a voter is refused anyway,
    /// but a deputy is told why, so nobody reads it as a missing permission to be granted.
    /// </summary>
    public static Refusal? NeverByDeputy(ExecutionScope scope, BallotState ballot, string actorId)
    {
        var today = Absences.Today(scope);
        var member = ballot.Voters.FirstOrDefault(v => scope.Context.Directory.Find(v) is { } person
            && person.Absence?.DeputyId == actorId && person.IsAwayOn(today));
        return member is null ? null
            : new Refusal(RefusalCode.NotAllowed, $"Ballots are never delegated: '{actorId}' deputises for '{member}' on tasks, but only the member votes; they may leave a written opinion.");
    }
}
