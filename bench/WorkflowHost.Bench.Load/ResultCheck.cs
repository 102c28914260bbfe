using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace WorkflowHost.Bench.Load;

/// <summary>What the check found: the problems (empty when all is well) and what it counted.</summary>
internal sealed record CheckReport(int Ballots, int AcknowledgedVotes, int CountedVotes, int LateVotes, IReadOnlyList<string> ReplyNumbers, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// Reads every ballot back through the API, as the office, after the timed part: every acknowledged vote is in its
/// ballot's totals and roll call, each ballot closed once with one outcome matching the instance's result, one reply
/// each, reply numbers unique across the run, and each instance's journal intact with one VoteCast per counted vote.
/// The only refusal allowed is a late vote on an open ballot already decided (<see cref="VoteAttempt.LateForOpenBallot"/>).
/// </summary>
internal static class ResultCheck
{
    public static async Task<CheckReport> RunAsync(HostApi api, Consultations consultations, IReadOnlyList<RoundResult> rounds)
    {
        var office = await consultations.TokenAsync(Consultations.Office);
        var problems = new ConcurrentQueue<string>();
        var numbers = new ConcurrentQueue<string>();
        var counted = 0;
        var attempts = rounds.SelectMany(r => r.Attempts).ToList();
        foreach (var failed in attempts.Where(a => !a.Acknowledged && !a.LateForOpenBallot))
        {
            problems.Enqueue($"{failed.Ballot.InstanceId} {failed.Vote.VoterId}: vote answered {(int)failed.Status} {failed.Problem}");
        }

        var byBallot = attempts.GroupBy(a => a.Ballot.InstanceId).ToList();
        await Parallel.ForEachAsync(byBallot, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (group, _) =>
        {
            var ballot = group.First().Ballot;
            var acknowledged = group.Where(a => a.Acknowledged).Select(a => a.Vote).ToList();
            foreach (var problem in await CheckBallotAsync(api, office, ballot, acknowledged, numbers))
            {
                problems.Enqueue($"{ballot.InstanceId}: {problem}");
            }

            Interlocked.Add(ref counted, acknowledged.Count);
        });

        var replyNumbers = numbers.Order(StringComparer.Ordinal).ToList();
        foreach (var duplicate in replyNumbers.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Enqueue($"reply number {duplicate.Key} was issued {duplicate.Count()} times");
        }

        return new CheckReport(
            byBallot.Count,
            attempts.Count(a => a.Acknowledged),
            counted,
            attempts.Count(a => a.LateForOpenBallot),
            replyNumbers,
            [.. problems]);
    }

    private static async Task<List<string>> CheckBallotAsync(HostApi api, string office, PreparedBallot ballot, List<PlannedVote> acknowledged, ConcurrentQueue<string> numbers)
    {
        var problems = new List<string>();
        var view = await api.GetInstanceAsync(office, ballot.InstanceId);
        var status = view["status"]?.GetValue<string>();
        var result = view["result"]?.GetValue<string>();
        if (status != "completed" || result is not ("consent" or "no-consent"))
        {
            problems.Add($"instance is {status} with result {result ?? "none"}, expected completed with consent or no-consent");
        }

        var step = view["pastSteps"]!.AsArray().Concat(view["currentSteps"]!.AsArray())
            .Select(s => s!.AsObject()).Where(s => s["stepId"]!.GetValue<string>() == ballot.StepId).ToList();
        if (step.Count != 1 || step[0]["ballot"] is not JsonObject ballotView)
        {
            problems.Add($"ballot step {ballot.StepId} appears {step.Count} times");
            return problems;
        }

        var outcome = ballotView["outcome"]?.GetValue<string>();
        var expectedResult = outcome switch { "passed" => "consent", "rejected" => "no-consent", _ => null };
        if (step[0]["status"]!.GetValue<string>() != "closed" || expectedResult is null || expectedResult != result)
        {
            problems.Add($"ballot is {step[0]["status"]} with outcome {outcome ?? "none"} while the instance's result is {result ?? "none"}");
        }

        var totals = ballotView["totals"] as JsonObject;
        foreach (var choice in new[] { Consultations.Consent, Consultations.Object })
        {
            var sent = acknowledged.Count(v => v.Choice == choice);
            var tallied = totals?[choice]?.GetValue<int>() ?? 0;
            if (sent != tallied)
            {
                problems.Add($"{sent} acknowledged '{choice}' votes but the tally says {tallied}");
            }
        }

        var tallyTotal = totals?.Sum(t => t.Value?.GetValue<int>() ?? 0) ?? 0;
        if (tallyTotal != acknowledged.Count)
        {
            problems.Add($"{acknowledged.Count} votes acknowledged but {tallyTotal} in the tally");
        }

        var rollCall = ballotView["voterList"]!.AsArray().Select(v => v!.AsObject())
            .ToDictionary(v => v["person"]!["id"]!.GetValue<string>(), StringComparer.Ordinal);
        foreach (var vote in acknowledged)
        {
            var entry = rollCall.GetValueOrDefault(vote.VoterId);
            if (entry?["status"]?.GetValue<string>() != "voted")
            {
                problems.Add($"{vote.VoterId}'s acknowledged vote is not in the roll call (status {entry?["status"]})");
            }
            else if (ballot.Variant == BallotVariant.Open && entry["choice"]?.GetValue<string>() != vote.Choice)
            {
                problems.Add($"{vote.VoterId} voted {vote.Choice} but the open roll call says {entry["choice"]}");
            }
            else if (ballot.Variant == BallotVariant.Secret && entry["choice"] is not null)
            {
                problems.Add($"the secret ballot shows {vote.VoterId}'s choice");
            }
        }

        var voted = rollCall.Values.Count(v => v["status"]?.GetValue<string>() == "voted");
        if (voted != acknowledged.Count)
        {
            problems.Add($"{voted} members marked as voted but {acknowledged.Count} votes acknowledged");
        }

        var documents = view["documents"]!.AsArray();
        if (documents.Count != 1)
        {
            problems.Add($"{documents.Count} replies issued, expected exactly one");
        }

        foreach (var document in documents)
        {
            numbers.Enqueue(document!["number"]!.GetValue<string>());
        }

        var events = (await api.GetTimelineAsync(office, ballot.InstanceId))["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        int Count(string type) => events.Count(e => e["type"]!.GetValue<string>() == type && e["data"]?["bookmark"]?.GetValue<string>() == ballot.StepId);
        if (Count("BallotClosed") != 1)
        {
            problems.Add($"the journal closes the ballot {Count("BallotClosed")} times");
        }

        if (Count("VoteCast") != acknowledged.Count)
        {
            problems.Add($"the journal records {Count("VoteCast")} votes, {acknowledged.Count} acknowledged");
        }

        var verification = await api.GetJsonAsync(office, $"/api/instances/{ballot.InstanceId}/timeline/verification");
        if (verification["intact"]?.GetValue<bool>() != true)
        {
            problems.Add($"the journal does not verify: {verification["problem"]}");
        }

        return problems;
    }
}
