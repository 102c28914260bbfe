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
    private OwnEngineScenario _open = null!;
    private OwnEngineScenario _secret = null!;
    private WorkflowCoreScenario _workflowCore = null!;

    [GlobalSetup]
    public void Setup()
    {
        _open = new OwnEngineScenario(secret: false);
        _secret = new OwnEngineScenario(secret: true);
        _workflowCore = new WorkflowCoreScenario();
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _workflowCore.DisposeAsync();

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
