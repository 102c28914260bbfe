using WorkflowHost.Bench.Scale;

// Usage: dotnet run -c Release --project bench/WorkflowHost.Bench.Scale -- --provider sqlite|postgresql --instances 10000 [--host path/to/WorkflowHost.dll]
// Builds a database with that many stored instances, then measures the inbox query, the overdue sweep, and the host's
// start-up time and memory on it. Results are printed as a Markdown table row for docs/benchmarks.md.
var options = ScaleOptions.Parse(args);
return await ScaleRun.RunAsync(options);
