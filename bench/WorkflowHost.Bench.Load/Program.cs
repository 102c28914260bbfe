using WorkflowHost.Bench.Load;

// End to end over HTTP: the real host (a Release build, started as a child process) on a fresh SQLite file and on a
// fresh PostgreSQL database, many concurrent voters, and in the same run the database's own rate for one short write
// transaction. Prints each round and a Markdown table for docs/benchmarks.md; exits 1 if any vote went uncounted.
//   dotnet build -c Release src/WorkflowHost
//   dotnet run -c Release --project bench/WorkflowHost.Bench.Load -- [--target sqlite|postgresql|both] [--rounds 5] …
//   … -- --smoke     a few seconds on SQLite, results checked, nothing measured (what the CI test runs)
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var reports = await LoadRun.RunAsync(options, Console.Out);
var passed = reports.All(r => r.Passed);
Console.WriteLine(passed ? "load: all acknowledged votes counted" : "load: FAILED, see the problems above");
return passed ? 0 : 1;
