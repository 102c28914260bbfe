using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Ballots;

/// <summary>
/// Alone, after the parallel classes: their hosts, ending, clear every SQLite pool of the process (HostFactory), which
/// changes what the two worlds' pools hold at different moments of each.
/// </summary>
[CollectionDefinition(nameof(SecretBallotLeakScanTests), DisableParallelization = true)]
public sealed class SecretBallotLeakScanAlone;

/// <summary>
/// The broad scan of a secret ballot (issue 8): a promotion consultation whose committee ballot is secret runs twice, on
/// two hosts with the same clock, identical except that Li and Zhao swap their choices. Everything anyone could read
/// during and after the ballot is recorded in both worlds: every API response and web page of every role, every row of
/// every table (journal, instance state, voters, notifications, e-mail outbox, idempotency records), and every log entry
/// at Trace level including EF Core and ASP.NET Core, grouped by request. Whatever links Li or Zhao to a choice —
/// a name next to a choice, an order of choices following the order of votes, a time of a choice matching a time of a
/// vote — differs between the two worlds; so once ids, hashes, tokens and durations are set aside, the worlds must be
/// identical. The reasons given on the secret ballot must appear nowhere at all. See docs/reliability.md, section 8.
/// </summary>
[Collection(nameof(SecretBallotLeakScanTests))]
public sealed class SecretBallotLeakScanTests(ITestOutputHelper output)
{
    private const string ReasonLi = "理由甲：LEAK-SCAN-REASON-LI-5521";
    private const string ReasonChen = "理由乙：LEAK-SCAN-REASON-CHEN-9034";

    // Eligible: 14 members, less Liu (from the submitting unit) and He (recuses himself) = 12; every one of them votes.
    private static readonly string[] LaterVoters = ["p-secretary-wang", "p-member-zhang", "p-member-sun", "p-member-zhou", "p-member-wu", "p-member-zheng", "p-member-feng"];

    [Fact]
    public async Task Nothing_anyone_can_read_during_or_after_a_secret_ballot_links_a_member_to_a_choice()
    {
        await using var consent = await RunAsync(liChooses: "object", zhaoChooses: "consent");
        await using var objection = await RunAsync(liChooses: "consent", zhaoChooses: "object");

        // The capture saw what it must: pages, API answers, journal rows, EF Core and ASP.NET Core log entries at Trace.
        Assert.Contains(consent.Records, r => r.Key.StartsWith("row JournalEvents", StringComparison.Ordinal) && r.Text.Contains("VoteCast", StringComparison.Ordinal));
        Assert.Contains(consent.Records, r => r.Key.StartsWith($"page {People.Member} /work/", StringComparison.Ordinal) && r.Text.StartsWith("200", StringComparison.Ordinal));
        Assert.Contains(consent.Logs.Entries, e => e.Category.StartsWith("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal));
        // Every request's log entries were found under its trace id: a request whose trace the host replaced would
        // leave its entries out of the comparison.
        foreach (var world in new[] { consent, objection })
        {
            Assert.All(world.LogsByRequest(), r => Assert.True(r.Entries.Count > 0, $"no log entry found for {r.Key}"));
        }


        // The copied reader (抄送) really reads the case, its pages and the result, and is told the outcome: the scan covers them.
        var copiedReader = People.InService;
        Assert.StartsWith("200", consent.Records.Single(r => r.Key == $"api {copiedReader} /api/instances/{consent.Instance} @closed").Text, StringComparison.Ordinal);
        Assert.StartsWith("200", consent.Records.Single(r => r.Key == $"page {copiedReader} /instances/{consent.Instance} @open").Text, StringComparison.Ordinal);
        Assert.Contains(consent.Instance.ToString(), consent.Records.Single(r => r.Key == $"api {copiedReader} /api/inbox/copied @open").Text, StringComparison.Ordinal);
        Assert.Contains(consent.Records, r => r.Key.StartsWith("row Notifications", StringComparison.Ordinal) && r.Text.Contains("case-outcome", StringComparison.Ordinal));
        Assert.Contains(consent.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Trace && e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        var closed = JsonNode.Parse(consent.Records.Single(r => r.Key == $"api {People.Secretary} /api/instances/{consent.Instance} @closed").Text[4..])!;
        Assert.True(closed["result"]?.GetValue<string>() == "consent", closed.ToJsonString()[..Math.Min(3000, closed.ToJsonString().Length)]);
        Assert.Equal(10, closed["pastSteps"]!.AsArray().Single(s => s!["ballot"] is not null)!["ballot"]!["totals"]!["consent"]!.GetValue<int>());

        foreach (var world in new[] { consent, objection })
        {
            NoSecretReasonAnywhere(world);
        }

        var recordDifferences = DifferentRecords(consent, objection, out var differences);
        var logDifferences = DifferentLogs(consent, objection);
        var all = recordDifferences.Concat(logDifferences).ToList();
        output.WriteLine($"per world: {consent.Records.Count(r => r.Key.StartsWith("api", StringComparison.Ordinal))} API answers, "
            + $"{consent.Records.Count(r => r.Key.StartsWith("page", StringComparison.Ordinal))} pages, {consent.Records.Count(r => r.Key.StartsWith("row", StringComparison.Ordinal))} rows, "
            + $"{consent.LogsByRequest().Count()} requests, {consent.Logs.Entries.Count} log entries; {all.Count} differences");
        Assert.True(all.Count == 0, Report(all));

        // Between Li's and Zhao's votes no stored row differs either: the instance row keeps no running tally any more,
        // and the choices are sealed (decision 91). The scan would see them in the clear: opened with the host's key (which
        // no database reader has) the sealed choices after Li's vote differ between the worlds.
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        Assert.Contains(consent.Records, r => r.Key == "row SealedChoices @after-li" && r.Text.Contains($"Sealed=blob({WorkflowHost.Persistence.Sealing.BallotSeal.SealedLength})", StringComparison.Ordinal));
        Assert.NotEqual(consent.UnsealedAfterLi, objection.UnsealedAfterLi);
        Assert.Equal(consent.UnsealedAfterLi.Count, objection.UnsealedAfterLi.Count);
    }

    private static async Task<SecretBallotWorld> RunAsync(string liChooses, string zhaoChooses)
    {
        var world = await SecretBallotWorld.StartAsync();
        try
        {
            await VoteAsync(world, liChooses, zhaoChooses);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    private static async Task VoteAsync(SecretBallotWorld world, string liChooses, string zhaoChooses)
    {
        var minute = 0;
        async Task Next(Func<Task> act)
        {
            // Every vote at its own time, so a time next to a choice anywhere would single out its voter.
            world.Advance(TimeSpan.FromMinutes(++minute) + TimeSpan.FromSeconds(minute));
            await act();
        }

        // Votes in an order that is neither alphabetical nor by choice, through the API and through the web page.
        await Next(() => world.VoteByApiAsync("p-member-xu", "consent", null));
        await Next(() => world.VoteByPageAsync(People.Member, liChooses, ReasonLi));
        world.Records.AddRange(world.StoredRows().Select(r => (r.Key + " @after-li", r.Text)));
        world.UnsealedAfterLi = await world.UnsealedChoicesAsync();
        await Next(() => world.RecuseByApiAsync("p-member-he", "人选系本人亲属"));
        await Next(() => world.VoteByApiAsync("p-member-zhao", zhaoChooses, null));
        await world.CaptureAsync("open");
        await Next(() => world.VoteByApiAsync("p-member-chen", "abstain", ReasonChen));
        await Next(() => world.VoteByPageAsync("p-member-lin", "consent", null));
        foreach (var member in LaterVoters)
        {
            await Next(() => world.VoteByApiAsync(member, "consent", null));
        }

        await world.CaptureAsync("closed");
    }

    /// <summary>Reasons on a secret ballot are never shown (decision 22): not in an answer, a page, a log entry or, once closed, a row.</summary>
    private static void NoSecretReasonAnywhere(SecretBallotWorld world)
    {
        foreach (var reason in new[] { ReasonLi, ReasonChen })
        {
            var marker = reason[(reason.IndexOf('：', StringComparison.Ordinal) + 1)..];
            // Not even while the ballot is open: its state no longer keeps them (decision 91).
            foreach (var (key, text) in world.Records)
            {
                Assert.False(text.Contains(marker, StringComparison.Ordinal), $"{key} holds a secret ballot's reason: {Excerpt(text, marker)}");
            }

            foreach (var (key, text) in world.SchedulerRows())
            {
                Assert.False(text.Contains(marker, StringComparison.Ordinal), $"hangfire {key} holds a secret ballot's reason: {Excerpt(text, marker)}");
            }

            foreach (var entry in world.Logs.Entries)
            {
                var all = entry + " " + string.Join(" ", entry.State.Select(s => s.Value));
                Assert.False(all.Contains(marker, StringComparison.Ordinal), $"a log entry holds a secret ballot's reason: {Excerpt(all, marker)}");
            }
        }
    }

    /// <summary>The records that differ between the worlds; those taken between Li's and Zhao's votes go to <paramref name="betweenVotes"/>.</summary>
    private static List<WorldDifference> DifferentRecords(SecretBallotWorld x, SecretBallotWorld y, out List<string> betweenVotes)
    {
        Assert.Equal(x.Records.Select(r => r.Key.Replace(x.Instance.ToString(), "INSTANCE", StringComparison.Ordinal)),
            y.Records.Select(r => r.Key.Replace(y.Instance.ToString(), "INSTANCE", StringComparison.Ordinal)));
        var all = SwappedWorldComparison.Compare(x.Records, x.DataFolder, y.Records, y.DataFolder);
        betweenVotes = [.. all.Where(d => d.Key.EndsWith("@after-li", StringComparison.Ordinal)).Select(d => d.Key)];
        return [.. all.Where(d => !d.Key.EndsWith("@after-li", StringComparison.Ordinal))];
    }

    private static List<WorldDifference> DifferentLogs(SecretBallotWorld x, SecretBallotWorld y)
    {
        // The after-commit observer's entries are compared in their own order, after the request's others: it runs once
        // the step has committed, beside the request's own closing of its connection, and which of the two logs first is
        // timing (a CI run of session 18 saw them swapped). Every entry is still compared, and each stream in order.
        static List<(string Key, string Text)> Logs(SecretBallotWorld world) =>
            [.. world.LogsByRequest().Select(r => (r.Key, string.Join("\n", r.Entries.Where(Compared)
                .OrderBy(e => e.Category == AfterCommitObserver ? 1 : 0)
                .Select(e => $"{e.Level} {e.Category}[{e.EventId.Id}] {e.Message}"))))];

        return SwappedWorldComparison.Compare(Logs(x), x.DataFolder, Logs(y), y.DataFolder);
    }

    /// <summary>
    /// The first difference in full, with the lines before it, then the list of what differs, then the first few: a rare
    /// failure keeps what caused it. The logs are compared request by request, so one difference no longer shifts the
    /// names of the ids in every later request (<see cref="SwappedWorldComparison.Normaliser"/>).
    /// </summary>
    internal static string Report(IReadOnlyList<WorldDifference> differences) =>
        differences.Count == 0
            ? "no differences"
            : $"{differences.Count} differences; the first:\n{differences[0].InFull()}\n\nin:\n"
              + $"{string.Join("\n", differences.Select(d => d.Heading).Distinct().Take(60))}\n\n{string.Join("\n", differences.Take(8))}";

    private const string AfterCommitObserver = "WorkflowHost.Jobs.Scheduling.HangfireStepObserver";

    /// <summary>
    /// Left out of the comparison, though still searched for the reasons (<see cref="NoSecretReasonAnywhere"/>), are entries
    /// that say what state the process's caches and pools were in, not what a request read or wrote:
    /// EF Core's query compilation (a shape is compiled once per process, so the second world finds the first one's); the
    /// opening and closing of connections (whether a pooled context still held an open one depends on what the host's
    /// background work had taken from the pools, and a CI run of session 19 saw one world close a connection mid-request
    /// in nearly every request where the other kept it open); and a context made new because the pool had none free.
    /// None of them carries a value of the request.
    /// </summary>
    private static bool Compared(CapturedLog entry) =>
        entry.Category is not ("Microsoft.EntityFrameworkCore.Query" or "Microsoft.EntityFrameworkCore.Database.Connection")
        && !(entry.Category == "Microsoft.EntityFrameworkCore.Infrastructure" && entry.EventId.Id == ContextInitialized);

    /// <summary>EF Core's CoreEventId.ContextInitialized.</summary>
    private const int ContextInitialized = 10403;

    private static string Excerpt(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return text.Substring(Math.Max(0, at - 300), Math.Min(text.Length - Math.Max(0, at - 300), 600));
    }
}
