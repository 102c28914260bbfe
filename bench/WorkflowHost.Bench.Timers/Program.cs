using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WorkflowHost.Bench.Timers;
using WorkflowHost.Engine.Time;
using WorkflowHost.Jobs;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Calendar;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

// Timer lateness and start-up time with many pending timers. Usage (see docs/benchmarks.md):
//   dotnet run -c Release --project bench/WorkflowHost.Bench.Timers -- [sqlite|postgresql] [pending=100000] [probes=200] [poll-ms]
// poll-ms sets Scheduling's schedule and queue polling intervals; without it the shipped defaults run.
var provider = args.ElementAtOrDefault(0) ?? "sqlite";
var pending = int.Parse(args.ElementAtOrDefault(1) ?? "100000", CultureInfo.InvariantCulture);
var probes = int.Parse(args.ElementAtOrDefault(2) ?? "200", CultureInfo.InvariantCulture);
var scheduling = args.ElementAtOrDefault(3) is { } pollMs
    ? new SchedulingOptions { SchedulePollingInterval = TimeSpan.FromMilliseconds(int.Parse(pollMs, CultureInfo.InvariantCulture)), QueuePollInterval = TimeSpan.FromMilliseconds(int.Parse(pollMs, CultureInfo.InvariantCulture)) }
    : new SchedulingOptions();

var root = Directory.CreateTempSubdirectory("wfh-bench-").FullName;
var pgServer = Environment.GetEnvironmentVariable("WORKFLOWHOST_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=workflowhost;Password=workflowhost";
var pgDatabase = "wfh_bench_" + Guid.NewGuid().ToString("N")[..12];
var persistence = provider == "postgresql"
    ? new PersistenceOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = new NpgsqlConnectionStringBuilder(pgServer) { Database = pgDatabase, MaxPoolSize = 50 }.ConnectionString }
    : new PersistenceOptions { Provider = DatabaseProvider.Sqlite, DataFolder = "data" };
if (provider == "postgresql")
{
    await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pgServer) { Database = "postgres" }.ConnectionString);
    await admin.OpenAsync();
    await new NpgsqlCommand($"CREATE DATABASE \"{pgDatabase}\"", admin).ExecuteNonQueryAsync();
}

Console.WriteLine($"# timers benchmark: {provider}, {pending:N0} pending timers, {probes} probes, schedule polling {scheduling.SchedulePollingInterval.TotalMilliseconds} ms, queue polling {scheduling.QueuePollInterval.TotalMilliseconds} ms; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
try
{
    var clock = Stopwatch.StartNew();
    var host = await StartHostAsync();
    Console.WriteLine($"cold start on an empty database (migrations, seeds): {clock.Elapsed.TotalSeconds:F2} s");

    // The pending load: timers due in 30 days, as steps leave them: rows of ours, not yet armed (beyond the job horizon).
    var commands = host.Services.GetRequiredService<WorkflowCommands>();
    var anchor = (await commands.StartAsync(new StartCommand("bench-timer", "binhe", "p-liaison-gao", []))).InstanceId;
    clock.Restart();
    await SeedPendingAsync(host, anchor, pending);
    Console.WriteLine($"seeded {pending:N0} pending timers in {clock.Elapsed.TotalSeconds:F1} s");

    // Lateness: probes started 100 ms apart, each waiting 15 s; fire time minus due time, from our timer rows.
    var probeIds = new List<Guid>();
    for (var i = 0; i < probes; i++)
    {
        probeIds.Add((await commands.StartAsync(new StartCommand("bench-timer", "binhe", "p-liaison-gao", []))).InstanceId);
        await Task.Delay(100);
    }

    var probeTimers = await WaitForFiredAsync(host, probeIds, TimeSpan.FromSeconds(120));
    Report("lateness (fire time − due time)", Lateness(probeTimers));
    if (provider == "postgresql")
    {
        await LatenessBreakdown.PrintAsync(persistence.PostgreSqlConnectionString!, scheduling.PostgreSqlSchema, probeTimers, Path.Combine(Path.GetTempPath(), $"{pgDatabase}-probes.csv"));
    }

    // Start-up: probes fall due while the host is down; measure the restart and how soon they fire.
    var downProbes = new List<Guid>();
    for (var i = 0; i < 50; i++)
    {
        downProbes.Add((await commands.StartAsync(new StartCommand("bench-timer", "binhe", "p-liaison-gao", []))).InstanceId);
    }

    await host.StopAsync();
    host.Dispose();
    await Task.Delay(TimeSpan.FromSeconds(17));
    clock.Restart();
    host = await StartHostAsync();
    var ready = clock.Elapsed;
    await WaitForFiredAsync(host, downProbes, TimeSpan.FromSeconds(120));
    var allFired = clock.Elapsed;
    await using (var db = await host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
    {
        Console.WriteLine($"restart with {await db.Timers.CountAsync(t => t.Status == TimerStatus.Pending):N0} pending timers: host started in {ready.TotalSeconds:F2} s; "
            + $"the 50 timers that fell due while it was down all fired {allFired.TotalSeconds:F2} s after the start");
    }

    await host.StopAsync();
    host.Dispose();
}
finally
{
    if (provider == "postgresql")
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pgServer) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{pgDatabase}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
    }

    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
    }
}

async Task<IHost> StartHostAsync()
{
    var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = root });
    builder.Services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton<IWorkingCalendar>(CalendarLoader.Load(Path.Combine(RepositoryRoot(), "seeds", "calendar"), new CalendarOptions(), NullLogger.Instance));
    builder.Services.AddWorkflowPersistence(persistence, root);
    builder.Services.AddStoreKeys("YmVuY2gtb25seS1zZWFsaW5nLWtleS1iaW5oZS0yMDI2ISEh"); // fixed: the bench is not secret
    builder.Services.AddWorkflowScheduling(scheduling, persistence, root);
    builder.Services.AddWorkflowNotifications(new SmtpOptions());
    var host = builder.Build();
    await WorkflowDatabase.InitializeAsync(host.Services, Path.Combine(AppContext.BaseDirectory, "workflows"), Path.Combine(RepositoryRoot(), "seeds"));
    await host.StartAsync();
    return host;
}

static async Task SeedPendingAsync(IHost host, Guid anchor, int count)
{
    var contexts = host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
    var dueAt = DateTimeOffset.UtcNow.AddDays(30);
    const int batch = 5_000;
    for (var start = 0; start < count; start += batch)
    {
        var timers = Enumerable.Range(start, Math.Min(batch, count - start)).Select(i => new WorkflowTimer
        {
            InstanceId = anchor, TimerId = $"load#{i}:due", CommunityId = "binhe", BookmarkId = $"load#{i}",
            Purpose = "deadline", DueAt = dueAt.AddSeconds(i % 86_400), Status = TimerStatus.Pending,
        }).ToList();
        await using var db = await contexts.CreateDbContextAsync();
        db.Timers.AddRange(timers);
        await db.SaveChangesAsync();
    }
}

static List<TimeSpan> Lateness(List<WorkflowTimer> fired) => [.. fired.Select(t => t.FiredAt!.Value - t.DueAt).Order()];

static async Task<List<WorkflowTimer>> WaitForFiredAsync(IHost host, List<Guid> instances, TimeSpan timeout)
{
    var contexts = host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
    var until = DateTime.UtcNow + timeout;
    while (true)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var fired = await db.Timers.AsNoTracking().Where(t => instances.Contains(t.InstanceId) && t.Status == TimerStatus.Fired).ToListAsync();
        if (fired.Count == instances.Count || DateTime.UtcNow > until)
        {
            if (fired.Count < instances.Count)
            {
                Console.WriteLine($"  only {fired.Count} of {instances.Count} timers fired within {timeout.TotalSeconds} s");
            }

            return fired;
        }

        await Task.Delay(250);
    }
}

static void Report(string what, List<TimeSpan> values)
{
    if (values.Count == 0)
    {
        Console.WriteLine($"{what}: no values");
        return;
    }

    TimeSpan P(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    Console.WriteLine($"{what}, n={values.Count}: p50 {P(0.50).TotalMilliseconds:F0} ms, p99 {P(0.99).TotalMilliseconds:F0} ms, max {values[^1].TotalMilliseconds:F0} ms, min {values[0].TotalMilliseconds:F0} ms");
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "WorkflowHost.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("WorkflowHost.sln not found above " + AppContext.BaseDirectory);
}
