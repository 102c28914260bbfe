using BenchmarkDotNet.Running;
using WorkflowHost.Bench.Engine;

// Runs the engine benchmarks; arguments go to BenchmarkDotNet (e.g. --filter '*' --job short).
// `--allocations` prints where one vote's allocated bytes go. `--smoke` instead runs each scenario once and checks its results, for CI.
if (args.Contains("--smoke"))
{
    return await SmokeRun.RunAsync();
}

if (args.Contains("--allocations"))
{
    return AllocationProfile.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
