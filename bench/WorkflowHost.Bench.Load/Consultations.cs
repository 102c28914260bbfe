using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace WorkflowHost.Bench.Load;

/// <summary>A consultation brought up to its ballot: which step to vote on, who may vote, and what each will choose.</summary>
internal sealed record PreparedBallot(Guid InstanceId, string StepId, BallotVariant Variant, IReadOnlyList<PlannedVote> Votes);

internal sealed record PlannedVote(string VoterId, string Choice);

/// <summary>
/// The issue's scenario over the real API: the housing bureau's liaison (高峰) submits a promotion consultation, the
/// office (谢婷) accepts it, and the ballot opens for the 14 committee members less 刘洋, recused automatically because
/// he comes from the submitting unit. The open variant is the shipped definition; the secret one is the same
/// definition with a secret ballot (see <see cref="SecretVariant"/>).
/// </summary>
internal sealed class Consultations(HostApi api, string runId)
{
    public const string Liaison = "p-liaison-gao";
    public const string Office = "p-office-xie";
    public const string Consent = "consent";
    public const string Object = "object";

    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new(StringComparer.Ordinal);
    private int _started;

    public Task<string> TokenAsync(string personId) => _tokens.GetOrAdd(personId, api.SignInAsync);

    public static string ProcessFor(BallotVariant variant) =>
        variant == BallotVariant.Secret ? SecretVariant.DefinitionId : SecretVariant.OpenDefinitionId;

    /// <summary>Prepares <paramref name="count"/> consultations, a few at a time (preparation is not what is measured).</summary>
    public async Task<IReadOnlyList<PreparedBallot>> PrepareAsync(BallotVariant variant, int count, int parallel = 4)
    {
        var prepared = new PreparedBallot[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (i, _) => prepared[i] = await PrepareOneAsync(variant));
        foreach (var voter in prepared.SelectMany(b => b.Votes).Select(v => v.VoterId).Distinct(StringComparer.Ordinal))
        {
            await TokenAsync(voter);
        }

        return prepared;
    }

    private async Task<PreparedBallot> PrepareOneAsync(BallotVariant variant)
    {
        var n = Interlocked.Increment(ref _started);
        var liaison = await TokenAsync(Liaison);
        var office = await TokenAsync(Office);
        var input = new JsonObject
        {
            ["kind"] = "promotion",
            ["nomineeName"] = $"压测人选{n:D5}",
            ["nomineePost"] = "科长",
            ["proposedPost"] = "副局长",
            ["partyMembership"] = "full-member",
            ["reason"] = "工作扎实，积极参加社区志愿服务。",
            ["replyNeededBy"] = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        var id = await api.StartAsync(liaison, ProcessFor(variant), input, $"load-{runId}-start-{n}");
        var check = OpenStep(await api.GetInstanceAsync(office, id), "task");
        await api.CompleteAsync(office, id, check, "accept", $"load-{runId}-accept-{n}");

        var view = await api.GetInstanceAsync(office, id);
        var stepId = OpenStep(view, "ballot");
        var ballot = view["currentSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == stepId)!["ballot"]!;
        if (ballot["secret"]!.GetValue<bool>() != (variant == BallotVariant.Secret))
        {
            throw new InvalidOperationException($"Instance {id}: expected a {variant} ballot, the host opened secret={ballot["secret"]}.");
        }

        var voters = ballot["voterList"]!.AsArray()
            .Where(v => v!["status"]!.GetValue<string>() == "pending")
            .Select(v => v!["person"]!["id"]!.GetValue<string>())
            .Order(StringComparer.Ordinal)
            .ToList();

        // Alternate consent and object, starting with consent: with 13 voters that is 7 to 6, so no majority exists
        // before the 13th vote and every vote is counted on an open ballot too (when votes arrive in this order).
        var votes = voters.Select((voter, i) => new PlannedVote(voter, i % 2 == 0 ? Consent : Object)).ToList();
        return new PreparedBallot(id, stepId, variant, votes);
    }

    private static string OpenStep(JsonObject view, string kind) =>
        view["currentSteps"]!.AsArray()
            .Select(s => s!.AsObject())
            .Single(s => s["kind"]!.GetValue<string>() == kind && s["status"]!.GetValue<string>() == "open")["stepId"]!.GetValue<string>();
}
