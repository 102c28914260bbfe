using System.Diagnostics;
using System.Globalization;

namespace WorkflowHost.Bench.Engine;

/// <summary>
/// Both engines in turn, round after round, in one process: on a shared machine the load changes by the minute, so
/// each round's ratio compares figures taken seconds apart, and the medians over the rounds are what to quote.
/// </summary>
internal static class CompareRun
{
    public static async Task<int> RunAsync(int rounds)
    {
        const int consultations = 200;
        const int smallBatch = 20;
        var open = new OwnEngineScenario(secret: false);
        var secret = new OwnEngineScenario(secret: true);
        var results = new Dictionary<string, List<double>>
        {
            ["WorkflowHost, open ballot"] = [], ["WorkflowHost, secret ballot"] = [],
            ["WorkflowCore, idle time 1 ms"] = [], ["WorkflowCore, default options"] = [],
        };

        // Warm-up: JIT and WorkflowCore's expression compilation happen here, not in the first round.
        Own(open, 50);
        Own(secret, 50);
        await Core(TimeSpan.FromMilliseconds(1), smallBatch);

        Console.WriteLine("| round | WorkflowHost open votes/s | secret votes/s | WorkflowCore (1 ms) votes/s | WorkflowCore (default) votes/s | load avg |");
        for (var round = 1; round <= rounds; round++)
        {
            results["WorkflowHost, open ballot"].Add(Own(open, consultations));
            results["WorkflowHost, secret ballot"].Add(Own(secret, consultations));
            results["WorkflowCore, idle time 1 ms"].Add(await Core(WorkflowCoreScenario.ShortIdleTime, consultations));
            results["WorkflowCore, default options"].Add(await Core(null, smallBatch));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {string.Join(" | ", results.Values.Select(r => r[^1].ToString("N0", CultureInfo.InvariantCulture)))} | {File.ReadAllText("/proc/loadavg").Split(' ')[0]} |"));
        }

        var baseline = Median(results["WorkflowCore, idle time 1 ms"]);
        Console.WriteLine();
        Console.WriteLine("| engine | median votes/s | ratio to WorkflowCore (1 ms) |");
        foreach (var (name, values) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(values):N0} | {Median(values) / baseline:F1}× |"));
        }

        return 0;
    }

    private static double Own(OwnEngineScenario scenario, int consultations)
    {
        var watch = Stopwatch.StartNew();
        var consents = 0;
        for (var i = 0; i < consultations; i++)
        {
            consents += scenario.RunOne();
        }

        Check(consents, consultations);
        return consultations * Scenario.Votes / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> Core(TimeSpan? idleTime, int consultations)
    {
        // A fresh host each time: WorkflowCore's in-memory store keeps every event and scans them per subscription.
        await using var workflowCore = new WorkflowCoreScenario(idleTime);
        var watch = Stopwatch.StartNew();
        var consents = await workflowCore.RunAsync(consultations);
        var elapsed = watch.Elapsed;
        Check(consents, consultations);
        return consultations * Scenario.Votes / elapsed.TotalSeconds;
    }

    private static void Check(int consents, int consultations)
    {
        if (consents != consultations * Scenario.ExpectedConsents)
        {
            throw new InvalidOperationException($"{consents} consents counted, expected {consultations * Scenario.ExpectedConsents}.");
        }
    }

    private static double Median(List<double> values)
    {
        var ordered = values.Order().ToList();
        return ordered.Count % 2 == 1 ? ordered[ordered.Count / 2] : (ordered[(ordered.Count / 2) - 1] + ordered[ordered.Count / 2]) / 2;
    }
}
