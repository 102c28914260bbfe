using System.Globalization;

namespace WorkflowHost.Bench.Load;

/// <summary>
/// One run: for each database, a fresh database and the real host on it, then rounds of (raw-rate sample, and for each
/// ballot variant: prepare consultations up to the ballot, cast all their votes concurrently), then the check.
/// </summary>
public static class LoadRun
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<IReadOnlyList<TargetReport>> RunAsync(LoadOptions options, TextWriter output)
    {
        var root = RepositoryRoot();
        var hostDll = options.HostDll ?? Path.Combine(root, "src", "WorkflowHost", "bin", "Release", "net10.0", "WorkflowHost.dll");
        if (!File.Exists(hostDll))
        {
            throw new FileNotFoundException($"The host is not built at {hostDll}: run `dotnet build -c Release src/WorkflowHost`, or pass --host.", hostDll);
        }

        var runId = Guid.NewGuid().ToString("N")[..10];
        var work = Path.Combine(Path.GetTempPath(), "wfh-load-" + runId);
        var workflows = SecretVariant.WriteWorkflowsFolder(root, Path.Combine(work, "workflows"));
        output.WriteLine($"run {runId}: host {hostDll}, work folder {work}");
        try
        {
            var reports = new List<TargetReport>();
            foreach (var target in options.Targets)
            {
                reports.Add(await RunTargetAsync(options, target, root, hostDll, workflows, work, runId, output));
            }

            output.WriteLine();
            output.WriteLine(Table(reports));
            return reports;
        }
        finally
        {
            TryDelete(work);
        }
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WorkflowHost.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No WorkflowHost.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The Markdown table for docs/benchmarks.md.</summary>
    public static string Table(IReadOnlyList<TargetReport> reports)
    {
        var lines = new List<string>
        {
            "| database | clients | ballot | host votes/s (median; rounds) | raw txn/s (median; samples) | ratio | vote latency p50 / p95 | host CPU per vote | host allocated per vote | votes checked |",
            "|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var report in reports)
        {
            foreach (var variant in report.Variants)
            {
                var raw = report.MedianRawTransactionsPerSecond;
                lines.Add(string.Create(Invariant,
                    $"| {report.Target} | {report.Clients} | {variant.Variant.ToString().ToLowerInvariant()} | {variant.MedianVotesPerSecond:F0} ({string.Join(", ", variant.VotesPerSecond.Select(v => v.ToString("F0", Invariant)))}) " +
                    $"| {(raw is null ? "—" : $"{raw:F0} ({string.Join(", ", report.RawTransactionsPerSecond.Select(v => v.ToString("F0", Invariant)))})")} " +
                    $"| {(raw is null ? "—" : (variant.MedianVotesPerSecond / raw.Value).ToString("F2", Invariant))} " +
                    $"| {variant.LatencyP50Ms:F1} / {variant.LatencyP95Ms:F1} ms | {variant.HostCpuMsPerVote:F2} ms | {(variant.HostBytesPerVote is { } b ? $"{b / 1024:F1} KB" : "—")} | {(report.Passed ? "all counted" : $"{report.Problems.Count} problems")} |"));
            }
        }

        foreach (var report in reports.Where(r => r.MedianRawCpuMsPerTransaction is not null))
        {
            lines.Add(string.Create(Invariant,
                $"{report.Target}: raw client CPU {report.MedianRawCpuMsPerTransaction:F2} ms per transaction, database server {report.MedianRawDatabaseCpuMsPerTransaction:F2} ms, whole machine {report.MedianRawMachineCpuMsPerTransaction:F2} ms (medians)"));
        }

        lines.AddRange(CpuBudget(reports, Environment.ProcessorCount));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>
    /// Where a vote's CPU goes on the machine, and what that allows: the machine's cores, busy all the time, could serve
    /// at most cores / (machine CPU per vote) votes a second, so a ratio to the raw rate above that ceiling's is out of
    /// reach on this machine until some part of the vote's CPU (the host's, the database's, the driver's) falls.
    /// </summary>
    internal static IEnumerable<string> CpuBudget(IReadOnlyList<TargetReport> reports, int cores)
    {
        foreach (var report in reports)
        {
            foreach (var variant in report.Variants.Where(v => v.MachineCpuMsPerVote > 0))
            {
                var rest = variant.MachineCpuMsPerVote - variant.HostCpuMsPerVote - variant.DatabaseCpuMsPerVote - variant.DriverCpuMsPerVote;
                var ceiling = cores * 1000 / variant.MachineCpuMsPerVote;
                var raw = report.MedianRawTransactionsPerSecond;
                yield return string.Create(Invariant,
                    $"{report.Target} {variant.Variant.ToString().ToLowerInvariant()}: machine CPU per vote {variant.MachineCpuMsPerVote:F2} ms = host {variant.HostCpuMsPerVote:F2} + database server {variant.DatabaseCpuMsPerVote:F2} + driver {variant.DriverCpuMsPerVote:F2} + the rest {rest:F2}; "
                    + $"{cores} cores busy serve at most {ceiling:F0} votes/s{(raw is { } r ? $" = {ceiling / r:F2} of the raw rate" : "")}");
            }
        }
    }

    /// <summary>The host's database with <c>--host-postgres</c>'s settings added (they win over the server string's).</summary>
    internal static string HostConnectionString(string? database, string? hostSettings)
    {
        if (database is null)
        {
            return "";
        }

        if (string.IsNullOrWhiteSpace(hostSettings))
        {
            return database;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(database);
        var extra = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = hostSettings };
        foreach (string key in extra.Keys)
        {
            builder[key] = extra[key];
        }

        return builder.ConnectionString;
    }

    private static async Task<TargetReport> RunTargetAsync(LoadOptions options, Target target, string root, string hostDll, string workflows, string work, string runId, TextWriter output)
    {
        var clients = options.ClientsFor(target);
        await using var databases = await LoadDatabases.CreateAsync(target, options, work, runId);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Persistence__Provider"] = databases.Host.Provider.ToString(),
            ["Persistence__DataFolder"] = databases.Host.DataFolder,
            ["Persistence__PostgreSqlConnectionString"] = HostConnectionString(databases.Host.PostgreSqlConnectionString, options.HostPostgresSettings),
            ["WorkflowHost__WorkflowsFolder"] = workflows,
            // 15 people sign in at the start of a run; the shipped limit is 10 a minute per address.
            ["Accounts__SignInAttemptsPerMinute"] = "1000",
            // The driver stands where production's reverse proxy stands (docs/operations.md): it says the client came over
            // HTTPS, so the host's forwarded-headers, HSTS and HTTPS-redirection middlewares do what they do behind nginx.
            ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        };
        if (options.Environment == HostEnvironment.Production)
        {
            // Production refuses the repository's development keys: fresh ones, the same for the commands and the host.
            settings["Replies__VerificationKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            settings["Sealing__Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        var accounts = options.Environment == HostEnvironment.Production
            ? await BenchAccounts.ProvisionAsync(hostDll, root, settings, BenchAccounts.PeopleToSignIn(root), output)
            : BenchAccounts.Demo();

        output.WriteLine($"{target}: starting the host ({options.Environment})…");
        await using var host = await HostProcess.StartAsync(hostDll, root, options.Environment, settings, TimeSpan.FromMinutes(3), options.HostOutputFile);
        output.WriteLine($"{target}: host pid {host.ProcessId} at {host.BaseAddress}, {clients} clients");
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10), MaxConnectionsPerServer = 1024 };
        using var http = new HttpClient(handler) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", "127.0.0.1");
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var api = new HostApi(http, accounts);
        await ShowEnvironmentAsync(api, options.Environment, target, output);
        var consultations = new Consultations(api, runId);
        await using var raw = options.MeasureRawRate ? await RawRate.CreateAsync(databases.Raw, work, clients) : null;

        try
        {
            // Warm-up, not timed: connection pools, the directory cache, and above all the tiered JIT, which goes on
            // compiling hot methods again (optimised, then with profile data) for a minute or more of load. Warm-up
            // rounds repeat until the compiler thread is quiet, so the timed rounds measure the steady state.
            var rounds = new List<RoundResult>();
            for (var warmUp = 1; ; warmUp++)
            {
                var warmUpRounds = new List<RoundResult>();
                foreach (var variant in options.Variants)
                {
                    warmUpRounds.Add(await VoteRound.RunAsync(api, consultations, await consultations.PrepareAsync(variant, options.WarmUpBallots), clients, options.IdempotencyKeys, runId, () => host.Cpu));
                }

                rounds.AddRange(warmUpRounds);
                var jitShare = warmUpRounds.Max(r => r.JitShare);
                output.WriteLine(string.Create(Invariant,
                    $"{target} warm-up {warmUp}: {warmUpRounds.Sum(r => r.Acknowledged)} votes, host CPU {warmUpRounds.Average(r => r.HostCpuMsPerVote):F1} ms/vote, JIT thread {jitShare:P0} of it"));
                if (jitShare <= options.QuietJitShare || warmUp >= options.MaxWarmUps)
                {
                    break;
                }
            }

            var timed = new List<RoundResult>();
            var analysed = false;
            var rawRates = new List<double>();
            var rawSamples = new List<RawSample>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                if (raw is not null)
                {
                    var sample = await raw.SampleAsync(options.RawSample);
                    rawRates.Add(sample.PerSecond);
                    rawSamples.Add(sample);
                    output.WriteLine(string.Create(Invariant,
                        $"{target} round {round}: raw {sample.PerSecond:F0} txn/s, client CPU {sample.ClientCpuMs:F2} ms/txn, database {sample.DatabaseCpuMs:F2}, machine {sample.MachineCpuMs:F2}"));
                }

                foreach (var variant in options.Variants)
                {
                    var ballots = await consultations.PrepareAsync(variant, options.BallotsPerRound);

                    // The timed rounds on plans made with statistics, not on those made against the fresh database's empty
                    // tables; taken once, with the first timed round's ballots open, so the statistics see voters waiting as
                    // the rounds do (LoadDatabases.AnalyzeHostAsync says why both matter).
                    if (!analysed && await databases.AnalyzeHostAsync() is { } tables)
                    {
                        output.WriteLine($"{target}: the host's database analysed with {ballots.Count} ballots open ({tables} tables with statistics)");
                    }

                    analysed = true;
                    await using var sampler = options.MeasureAllocations ? AllocationSampler.Start(host.ProcessId) : null;

                    // A marker for an outside profiler (perf, dotnet-trace): what follows until the round's line is votes only.
                    output.WriteLine(string.Create(Invariant, $"{target} round {round}: voting on {ballots.Count} {variant.ToString().ToLowerInvariant()} ballots…"));
                    var result = await VoteRound.RunAsync(api, consultations, ballots, clients, options.IdempotencyKeys, runId, () => host.Cpu);
                    if (sampler is not null)
                    {
                        result = result with { Allocations = await sampler.StopAsync() };
                    }

                    timed.Add(result);
                    var allocated = result.HostBytesPerVote is { } bytes ? string.Create(Invariant, $", host allocated {bytes / 1024:F1} KB/vote") : "";
                    output.WriteLine(string.Create(Invariant,
                        $"{target} round {round}: {variant.ToString().ToLowerInvariant()} ballots, {result.Acknowledged} votes in {result.Elapsed.TotalSeconds:F2} s = {result.VotesPerSecond:F0} votes/s, host CPU {result.HostCpuMsPerVote:F2} ms/vote (JIT thread {result.JitShare:P0}){allocated}; machine {result.MachineCpuMsPerVote:F2} ms/vote (database {result.DatabaseCpuMsPerVote:F2}, driver {result.DriverCpuMsPerVote:F2})"));
                    if (host.ResidentMegabytes is var (residentNow, residentPeak))
                    {
                        output.WriteLine(string.Create(Invariant, $"    host resident {residentNow:F0} MB, peak {residentPeak:F0} MB"));
                    }

                    WriteTopAllocations(output, result);
                }
            }

            rounds.AddRange(timed);
            var check = await ResultCheck.RunAsync(api, consultations, rounds);
            output.WriteLine($"{target}: checked {check.Ballots} ballots, {check.AcknowledgedVotes} acknowledged votes, {check.CountedVotes} counted, " +
                $"{check.LateVotes} late on a decided open ballot, {check.ReplyNumbers.Count} replies: {(check.Passed ? "all correct" : $"{check.Problems.Count} PROBLEMS")}");
            foreach (var problem in check.Problems.Take(20))
            {
                output.WriteLine("  " + problem);
            }

            var variants = options.Variants.Select(v => Figures(v, timed.Where(r => r.Variant == v).ToList())).ToList();
            return new TargetReport(
                target, clients, variants, rawRates, rawRates.Count == 0 ? null : Median(rawRates),
                rawSamples.Count == 0 ? null : Median([.. rawSamples.Select(r => r.ClientCpuMs)]),
                check.Ballots, check.AcknowledgedVotes, check.CountedVotes, check.ReplyNumbers.Count,
                check.ReplyNumbers.Distinct(StringComparer.Ordinal).Count(), check.Problems)
            {
                MedianRawDatabaseCpuMsPerTransaction = rawSamples.Count == 0 ? null : Median([.. rawSamples.Select(r => r.DatabaseCpuMs)]),
                MedianRawMachineCpuMsPerTransaction = rawSamples.Count == 0 ? null : Median([.. rawSamples.Select(r => r.MachineCpuMs)]),
            };
        }
        catch
        {
            output.WriteLine($"{target}: the host's last output:{Environment.NewLine}{host.LastLines}");
            throw;
        }
    }

    /// <summary>
    /// Proof of the environment from the outside: the demo password signs in only in Development. A Production run whose
    /// host still took it would measure the wrong host, so it stops.
    /// </summary>
    private static async Task ShowEnvironmentAsync(HostApi api, HostEnvironment environment, Target target, TextWriter output)
    {
        var status = await api.TrySignInAsync(Consultations.Liaison, BenchAccounts.DemoPassword);
        var demoAccepted = status == System.Net.HttpStatusCode.OK;
        if (demoAccepted != (environment == HostEnvironment.Development))
        {
            throw new InvalidOperationException($"{target}: the host was started in {environment}, but the demo password answered {(int)status}.");
        }

        output.WriteLine($"{target}: host environment {environment}: demo password {(demoAccepted ? "accepted" : $"refused ({(int)status})")}");
    }

    private static VariantFigures Figures(BallotVariant variant, List<RoundResult> rounds)
    {
        var latencies = rounds.SelectMany(r => r.Attempts).Where(a => a.Acknowledged).Select(a => a.LatencyMs).Order().ToList();
        var rates = rounds.Select(r => r.VotesPerSecond).ToList();
        return new VariantFigures(variant, rates, Median(rates), Percentile(latencies, 0.50), Percentile(latencies, 0.95),
            Median([.. rounds.Select(r => r.HostCpuMsPerVote)]),
            rounds.Sum(r => r.Acknowledged), rounds.Sum(r => r.Attempts.Count(a => a.LateForOpenBallot)),
            rounds.All(r => r.HostBytesPerVote is not null) && rounds.Count > 0 ? Median([.. rounds.Select(r => r.HostBytesPerVote!.Value)]) : null)
        {
            DatabaseCpuMsPerVote = Median([.. rounds.Select(r => r.DatabaseCpuMsPerVote)]),
            DriverCpuMsPerVote = Median([.. rounds.Select(r => r.DriverCpuMsPerVote)]),
            MachineCpuMsPerVote = Median([.. rounds.Select(r => r.MachineCpuMsPerVote)]),
        };
    }

    /// <summary>The ten types the allocation ticks named most, in bytes per vote: a sampled profile of where a vote's bytes go.</summary>
    private static void WriteTopAllocations(TextWriter output, RoundResult result)
    {
        if (result.Allocations is not { } allocations)
        {
            return;
        }

        var gcs = allocations.Collections;
        output.WriteLine(string.Create(Invariant,
            $"    collections gen0/1/2 {gcs[0]}/{gcs[1]}/{gcs[2]} ({1000.0 * gcs.Sum() / Math.Max(1, result.Acknowledged):F1} per 1,000 votes), paused {allocations.PausedMs:F0} ms = {allocations.PausedMs / result.Elapsed.TotalMilliseconds:P1} of the round, {allocations.PausedMs / Math.Max(1, gcs.Sum()):F1} ms each"));
        foreach (var (type, bytes) in allocations.ByType.Take(10))
        {
            output.WriteLine(string.Create(Invariant, $"    {(double)bytes / Math.Max(1, result.Acknowledged) / 1024,8:F1} KB/vote  {type}"));
        }
    }

    private static double Median(List<double> values) => Percentile([.. values.Order()], 0.5);

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is exiting; the temp folder is cleaned by the system.
        }
    }
}
