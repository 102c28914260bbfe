using BenchmarkDotNet.Attributes;

namespace WorkflowHost.Bench.Engine;

/// <summary>
/// Votes per second, our engine against WorkflowCore, same scenario, same process and run.
/// Each operation is one vote; a batch is <see cref="Consultations"/> consultations of 13 votes.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const int Consultations = 200;

    /// <summary>WorkflowCore with default options manages a few dozen votes a second: a smaller batch keeps the run short.</summary>
    private const int SmallBatch = 20;
    private OwnEngineScenario _open = null!;
    private OwnEngineScenario _secret = null!;
    private WorkflowCoreScenario _workflowCore = null!;

    [GlobalSetup]
    public void Setup()
    {
        _open = new OwnEngineScenario(secret: false);
        _secret = new OwnEngineScenario(secret: true);
    }

    // A fresh WorkflowCore host for every batch: its in-memory store keeps every event ever published and scans them
    // for each new subscription, so one host kept across iterations would slow down with the iteration count.
    [IterationSetup(Targets = [nameof(WorkflowCore_votes)])]
    public void StartWorkflowCore() => _workflowCore = new WorkflowCoreScenario(WorkflowCoreScenario.ShortIdleTime);

    [IterationSetup(Targets = [nameof(WorkflowCore_default_options_votes)])]
    public void StartWorkflowCoreWithDefaults() => _workflowCore = new WorkflowCoreScenario();

    [IterationCleanup(Targets = [nameof(WorkflowCore_votes), nameof(WorkflowCore_default_options_votes)])]
    public void StopWorkflowCore() => _workflowCore.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>WorkflowCore with its default options: its consumers sleep a whole idle time whenever two items are in hand.</summary>
    [Benchmark(OperationsPerInvoke = SmallBatch * Scenario.Votes)]
    public async Task<int> WorkflowCore_default_options_votes() => await _workflowCore.RunAsync(SmallBatch);

    /// <summary>WorkflowCore tuned for throughput (short idle time): the fair baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Consultations * Scenario.Votes)]
    public async Task<int> WorkflowCore_votes() => await _workflowCore.RunAsync(Consultations);

    [Benchmark(OperationsPerInvoke = Consultations * Scenario.Votes)]
    public int WorkflowHost_open_ballot_votes() => RunBatch(_open);

    [Benchmark(OperationsPerInvoke = Consultations * Scenario.Votes)]
    public int WorkflowHost_secret_ballot_votes() => RunBatch(_secret);

    private static int RunBatch(OwnEngineScenario scenario)
    {
        var consents = 0;
        for (var i = 0; i < Consultations; i++)
        {
            consents += scenario.RunOne();
        }

        return consents;
    }
}
