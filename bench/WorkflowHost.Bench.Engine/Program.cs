using BenchmarkDotNet.Running;
using WorkflowHost.Bench.Engine;

// Runs the engine benchmarks; arguments go to BenchmarkDotNet (e.g. --filter '*' --job short).
// `--compare [rounds]` runs both engines in turn, several rounds, and prints medians and ratios (what docs/benchmarks.md quotes).
// `--allocations` prints where one vote's allocated bytes go. `--smoke` instead runs each scenario once and checks its results, for CI.
if (args.Contains("--smoke"))
{
    return await SmokeRun.RunAsync();
}

if (args.Contains("--compare"))
{
    var rounds = args.SkipWhile(a => a != "--compare").Skip(1).Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(5);
    return await CompareRun.RunAsync(rounds);
}

if (args.Contains("--allocations"))
{
    return AllocationProfile.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
