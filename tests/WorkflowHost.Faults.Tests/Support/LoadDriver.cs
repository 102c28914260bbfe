using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>
/// Workers that submit promotion consultations, have the office accept them and the committee vote on them to a
/// decision (which issues a numbered reply), and one that keeps starting short-timer instances; every start and half
/// of the other requests carry an Idempotency-Key. Every success answer goes into the <see cref="FaultLedger"/>.
/// </summary>
public sealed class LoadDriver(ApiClient api, FaultLedger ledger, int seed, string runId)
{
    public const string Community = "binhe";
    public const string Office = "p-office-xie";

    public static readonly IReadOnlyList<string> Liaisons = ["p-liaison-gao", "p-liaison-ma", "p-liaison-luo", "p-liaison-tang", "p-liaison-peng"];

    public static readonly IReadOnlyList<string> Members =
    [
        "p-secretary-wang", "p-member-li", "p-member-zhang", "p-member-chen", "p-member-liu", "p-member-zhao", "p-member-sun",
        "p-member-zhou", "p-member-wu", "p-member-zheng", "p-member-feng", "p-member-he", "p-member-lin", "p-member-xu",
    ];

    private int _counter;
    private long _lastTimerStart;

    public static IEnumerable<string> Everyone => [.. Liaisons, Office, .. Members];

    /// <summary>The share of the consultation workers' rounds that open a short ballot (with a reminder) instead.</summary>
    public double ReminderBallotShare { get; init; }

    /// <summary>When a short-timer instance (due 3 s after it starts) was last acknowledged.</summary>
    public DateTimeOffset LastTimerStartedAt => new(Interlocked.Read(ref _lastTimerStart), TimeSpan.Zero);

    /// <summary>
    /// Runs until <paramref name="stop"/> is cancelled: one worker keeps starting short-timer instances, so that timers
    /// are always about to fall due; the others run consultations (and reminder ballots). Each finishes the request it is on.
    /// </summary>
    public async Task RunAsync(int workers, CancellationToken stop)
    {
        var timers = Task.Run(() => TimersAsync(stop), CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(1, Math.Max(1, workers - 1)).Select(w => Task.Run(() => WorkAsync(new Random(seed * 31 + w), stop), CancellationToken.None)));
        await timers;
    }

    private async Task TimersAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _counter);
            if (await StartAsync(Liaisons[n % Liaisons.Count], "crash-timer", n, new JsonObject()) is not null)
            {
                Interlocked.Exchange(ref _lastTimerStart, DateTimeOffset.UtcNow.UtcTicks);
            }

            await Task.Delay(250, CancellationToken.None);
        }
    }

    private async Task WorkAsync(Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _counter);
            if (random.NextDouble() < ReminderBallotShare)
            {
                await ReminderBallotAsync(n, random);
            }
            else
            {
                await ConsultationAsync(n, random, stop);
            }
        }
    }

    /// <summary>Submit, office accepts, members vote in random order until the ballot is decided.</summary>
    private async Task ConsultationAsync(int n, Random random, CancellationToken stop)
    {
        var liaison = Liaisons[n % Liaisons.Count];
        var id = await StartAsync(liaison, "promotion-consultation", n, ConsultationInput());
        if (id is not { } instance || stop.IsCancellationRequested)
        {
            return;
        }

        var accepted = await CompleteAsync(instance, Office, "office-check#1", "accept", Keyed(random) ? $"accept-{runId}-{n}" : null);
        if (!accepted)
        {
            return;
        }

        foreach (var member in Members.OrderBy(_ => random.Next()))
        {
            var dice = random.NextDouble();
            var choice = dice < 0.75 ? "consent" : dice < 0.9 ? "object" : "abstain";
            if (!await VoteAsync(instance, "committee-ballot#2", member, choice, Keyed(random) ? $"vote-{runId}-{n}-{member}" : null))
            {
                return;
            }
        }
    }

    /// <summary>A short ballot with a reminder: five members vote at once, the others are reminded before it closes.</summary>
    private async Task ReminderBallotAsync(int n, Random random)
    {
        var id = await StartAsync(Liaisons[n % Liaisons.Count], "crash-reminder", n, new JsonObject { ["title"] = $"提醒 {n}" });
        if (id is not { } instance)
        {
            return;
        }

        foreach (var member in Members.OrderBy(_ => random.Next()).Take(5))
        {
            if (!await VoteAsync(instance, "vote#1", member, "consent", Keyed(random) ? $"vote-{runId}-{n}-{member}" : null))
            {
                return;
            }
        }
    }

    private async Task<Guid?> StartAsync(string liaison, string process, int n, JsonObject input)
    {
        // Every start carries a key (a client cannot tell a lost start from a refused one without it) and a marker
        // that the checker uses to find duplicates.
        var marker = $"{runId}-{n}";
        input[process == "promotion-consultation" ? "nomineeName" : "marker"] = marker;

        var key = $"start-{marker}";
        const string path = "/api/instances";
        var answer = await api.PostAsync(liaison, path, new { process, input }, key, CancellationToken.None);
        if (answer.Status != HttpStatusCode.Created)
        {
            ledger.RecordUnexpected($"start {process} {marker}: {answer}");
            return null;
        }

        var id = answer.Json!["instanceId"]!.GetValue<Guid>();
        ledger.Record(new Ack(AckKind.Started, id, null, liaison, process, key, marker, path, answer.Replayed, answer.Attempts));
        return id;
    }

    private async Task<bool> CompleteAsync(Guid instance, string person, string step, string outcome, string? key)
    {
        var path = StepPath(instance, step, "complete");
        var answer = await api.PostAsync(person, path, new { outcome }, key, CancellationToken.None);
        if (answer.Status == HttpStatusCode.OK)
        {
            ledger.Record(new Ack(AckKind.TaskCompleted, instance, step, person, outcome, key, null, path, answer.Replayed, answer.Attempts));
            return true;
        }

        if (answer.Status == HttpStatusCode.Conflict && answer.Code == "closed" && answer.Attempts > 1 && key is null)
        {
            return true; // a plain retry of a completion whose answer was lost: the first one went through
        }

        ledger.RecordUnexpected($"complete {step} of {instance}: {answer}");
        return false;
    }

    /// <summary>False once the ballot is decided (no more votes go in).</summary>
    private async Task<bool> VoteAsync(Guid instance, string step, string member, string choice, string? key)
    {
        var path = StepPath(instance, step, "vote");
        var answer = await api.PostAsync(member, path, new { choice }, key, CancellationToken.None);
        switch (answer.Status, answer.Code)
        {
            case (HttpStatusCode.OK, _):
                ledger.Record(new Ack(AckKind.Voted, instance, step, member, choice, key, null, path, answer.Replayed, answer.Attempts));
                return answer.Json?["status"]?.GetValue<string>() == "running";
            case (HttpStatusCode.Conflict, "alreadyVoted") when answer.Attempts > 1 && key is null:
                ledger.Record(new Ack(AckKind.VoteConfirmedByRetry, instance, step, member, choice, null, null, path, false, answer.Attempts));
                return true;
            case (HttpStatusCode.Conflict, "recused"):
                return true; // the member from the submitting unit
            case (HttpStatusCode.Conflict, "closed" or "instanceEnded"):
                return false; // decided, perhaps by a vote whose answer was lost
            default:
                ledger.RecordUnexpected($"vote of {member} on {step} of {instance}: {answer}");
                return false;
        }
    }

    private static bool Keyed(Random random) => random.NextDouble() < 0.5;

    private static string StepPath(Guid instance, string step, string action) => $"/api/instances/{instance}/steps/{Uri.EscapeDataString(step)}/{action}";

    private static JsonObject ConsultationInput() => new()
    {
        ["kind"] = "promotion",
        ["nomineePost"] = "科长",
        ["proposedPost"] = "副局长",
        ["partyMembership"] = "full-member",
        ["reason"] = "工作扎实，积极参加社区志愿服务。",
        ["replyNeededBy"] = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
