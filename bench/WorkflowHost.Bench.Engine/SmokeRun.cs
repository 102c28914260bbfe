using System.Diagnostics;

namespace WorkflowHost.Bench.Engine;

/// <summary>A quick, checked run of both scenarios: proves the harness still works; measures nothing worth keeping.</summary>
internal static class SmokeRun
{
    public static async Task<int> RunAsync()
    {
        const int consultations = 20;
        var own = new OwnEngineScenario(secret: true);
        var watch = Stopwatch.StartNew();
        var ownConsents = Enumerable.Range(0, consultations).Sum(_ => own.RunOne());
        var ownTime = watch.Elapsed;

        await using var workflowCore = new WorkflowCoreScenario(WorkflowCoreScenario.ShortIdleTime);
        watch.Restart();
        var coreConsents = await workflowCore.RunAsync(consultations);
        var coreTime = watch.Elapsed;

        var expected = consultations * Scenario.ExpectedConsents;
        Console.WriteLine($"WorkflowHost: {consultations} consultations, {ownConsents} consents counted, {own.RepliesIssued} replies, {ownTime.TotalMilliseconds:F0} ms");
        Console.WriteLine($"WorkflowCore (idle time {workflowCore.IdleTime?.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"} ms): {consultations} consultations, {coreConsents} consents counted, {coreTime.TotalMilliseconds:F0} ms");
        var ok = ownConsents == expected && coreConsents == expected && own.RepliesIssued == consultations;
        Console.WriteLine(ok ? "smoke: ok" : $"smoke: FAILED, expected {expected} consents per engine");
        return ok ? 0 : 1;
    }
}
