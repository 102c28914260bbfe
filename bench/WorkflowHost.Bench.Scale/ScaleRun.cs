using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Bench.Scale;

internal static class ScaleRun
{
    /// <summary>Fixed, not secret: a reused dataset and the probed host must use the key the dataset was written with.</summary>
    public const string SealingKey = "YmVuY2gtb25seS1zZWFsaW5nLWtleS1iaW5oZS0yMDI2ISEh";

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var root = RepositoryRoot();
        var reuse = options.Reuse is not null;
        var contentRoot = options.Reuse is not null && options.Provider == DatabaseProvider.Sqlite
            ? Path.GetFullPath(options.Reuse)
            : Directory.CreateTempSubdirectory("workflowhost-scale-").FullName;
        var persistence = await CreateDatabaseAsync(options, contentRoot, createDatabase: !reuse);
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddWorkflowPersistence(persistence, contentRoot)
            .AddStoreKeys(SealingKey)
            .BuildServiceProvider();
        await WorkflowDatabase.InitializeAsync(services, Path.Combine(root, "workflows"), Path.Combine(root, "seeds"));

        var factory = services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        if (!reuse)
        {
            await BuildAsync(options, services, factory);
        }

        Console.Error.WriteLine($"database: {persistence.Provider}, {(persistence.Provider == DatabaseProvider.Sqlite ? contentRoot : persistence.PostgreSqlConnectionString)} (--reuse it to measure again)");
        var queries = services.GetRequiredService<WorkflowQueries>();
        var member = "p-member-li";

        // Wall time suffers from every other process on a shared machine; this process's CPU time per query much less.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var inbox = await SampleAsync(options.Samples, () => queries.OpenWorkForAsync(member));
        var inboxCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / (options.Samples + 10);
        var inboxSize = (await queries.OpenWorkForAsync(member)).Count;
        var oldBallots = await SampleAsync(Math.Min(options.Samples, 50), () => BallotsAskedFromWorkItemsAsync(factory, member));
        var sweep = await SampleAsync(50, () => queries.DueTimersAsync(Now, 500));
        var dueCount = (await queries.DueTimersAsync(Now, 500)).Count;
        await services.DisposeAsync();

        // The rows were written around EF: if the host read them differently (times, ids), these counts would be off.
        // (A reused database has had a host on it, whose start-up sweep settled the due timers it found.)
        if (inboxSize != DatasetBuilder.SeedCommunityOpen || (!reuse && dueCount != Math.Min(DatasetBuilder.DueTimers, options.Instances / DatasetBuilder.OpenEveryNth)))
        {
            Console.Error.WriteLine($"dataset check FAILED: inbox {inboxSize} (expected {DatasetBuilder.SeedCommunityOpen}), due timers {dueCount}");
            return 1;
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queries: inbox {inboxSize} items p50 {Percentile(inbox, 50):F2} ms p95 {Percentile(inbox, 95):F2} ms, CPU {inboxCpu:F2} ms/query; old ballot query p50 {Percentile(oldBallots, 50):F2} ms; sweep {dueCount} due, p50 {Percentile(sweep, 50):F2} ms"));
        var host = options.HostDll is null ? null : await HostProbe.MeasureAsync(options.HostDll, root, persistence, contentRoot);
        Console.WriteLine("| provider | instances | inbox items | inbox p50 ms | p95 ms | inbox CPU ms/query | old ballot query p50 ms | due timers | sweep p50 ms | host start s | RSS MB | peak RSS MB | load avg |");
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {options.Provider} | {options.Instances:N0} | {inboxSize} | {Percentile(inbox, 50):F2} | {Percentile(inbox, 95):F2} | {inboxCpu:F2} | {Percentile(oldBallots, 50):F2} | {dueCount} | {Percentile(sweep, 50):F2} | {host?.StartupSeconds.ToString("F2", CultureInfo.InvariantCulture) ?? "-"} | {host?.ResidentMegabytes.ToString("F0", CultureInfo.InvariantCulture) ?? "-"} | {host?.PeakResidentMegabytes.ToString("F0", CultureInfo.InvariantCulture) ?? "-"} | {load} |"));
        return 0;
    }

    private static async Task BuildAsync(ScaleOptions options, IServiceProvider services, IDbContextFactory<WorkflowDbContext> factory)
    {
        // One real consultation gives a representative state document to copy.
        var commands = services.GetRequiredService<WorkflowCommands>();
        var started = await commands.StartAsync(new StartCommand("promotion-consultation", "binhe", "p-liaison-gao", new JsonObject
        {
            ["kind"] = "promotion", ["nomineeName"] = "周立新", ["nomineePost"] = "科长", ["partyMembership"] = "full-member",
            ["reason"] = "工作扎实，积极参加社区志愿服务。", ["replyNeededBy"] = "2027-12-31",
        }));
        string stateJson, hash;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var row = await db.Instances.SingleAsync(i => i.Id == started.InstanceId);
            (stateJson, hash) = (row.StateJson, row.DefinitionHash);
        }

        var members = await MembersAsync(factory);
        var build = Stopwatch.StartNew();
        await DatasetBuilder.BuildAsync(() => factory.CreateDbContext(), options.Instances, stateJson, hash, members, Now);
        Console.Error.WriteLine($"dataset: {options.Instances:N0} instances in {build.Elapsed.TotalSeconds:F0} s (state {stateJson.Length:N0} bytes each)");
    }

    /// <summary>
    /// The inbox's ballot query as it stood before these measurements ("open ballots where this person is a pending
    /// voter"), kept so the same run shows what the rewrite in <see cref="WorkflowQueries.OpenWorkForAsync"/> changed.
    /// </summary>
    private static async Task<int> BallotsAskedFromWorkItemsAsync(IDbContextFactory<WorkflowDbContext> factory, string personId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return (await db.WorkItems.AsNoTracking()
            .Where(w => w.Status == "open" && w.Kind == "ballot")
            .Where(w => db.BallotVoters.Any(v => v.InstanceId == w.InstanceId && v.BookmarkId == w.BookmarkId && v.PersonId == personId && v.Status == VoterStatus.Pending))
            .ToListAsync()).Count;
    }

    private static async Task<List<double>> SampleAsync<T>(int count, Func<Task<T>> query)
    {
        for (var i = 0; i < 10; i++)
        {
            await query();
        }

        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await query();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return samples;
    }

    private static double Percentile(List<double> samples, int percentile)
    {
        var ordered = samples.Order().ToList();
        return ordered[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * ordered.Count) - 1, 0, ordered.Count - 1)];
    }

    private static async Task<IReadOnlyList<string>> MembersAsync(IDbContextFactory<WorkflowDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.PersonRoles.Where(r => r.Role == "committee-member").Select(r => r.PersonId).ToListAsync();
    }

    private static async Task<PersistenceOptions> CreateDatabaseAsync(ScaleOptions options, string contentRoot, bool createDatabase)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            return new PersistenceOptions { Provider = DatabaseProvider.Sqlite, DataFolder = Path.Combine(contentRoot, "data") };
        }

        var name = "wfh_scale_" + options.Instances.ToString(CultureInfo.InvariantCulture);
        if (!createDatabase)
        {
            return new PersistenceOptions
            {
                Provider = DatabaseProvider.PostgreSql,
                PostgreSqlConnectionString = new NpgsqlConnectionStringBuilder(options.PostgresServer) { Database = name }.ConnectionString,
            };
        }

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(options.PostgresServer) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new PersistenceOptions
        {
            Provider = DatabaseProvider.PostgreSql,
            PostgreSqlConnectionString = new NpgsqlConnectionStringBuilder(options.PostgresServer) { Database = name }.ConnectionString,
        };
    }

    private static string RepositoryRoot()
    {
        // The build output first (dotnet run), then the working directory (a build copied elsewhere with -o).
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WorkflowHost.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("WorkflowHost.sln not found");
    }
}
