using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Jobs;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Calendar;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

// What one vote costs the host in process: the bytes it allocates and the CPU it takes, the vote that decides a ballot
// (closing the committee's work items, cancelling the ballot's timers, issuing the reply's number and document, planning
// the announcements, and the after-commit observer) apart from an ordinary one. The persistence layer and the scheduling
// observer wired as the host wires them, on a real database, one vote at a time, no HTTP and no background work (the
// host is built, never started): the difference between two builds is their own code's. Usage (docs/benchmarks.md 20a):
//   dotnet run -c Release --project bench/WorkflowHost.Bench.Closing -- [sqlite|postgresql] [ballots=300] [rounds=3] [--sql]
// Each round prepares its ballots up to the twelfth vote of thirteen (not measured), then measures the twelfth votes one
// after another (ordinary), then the thirteenth (each decides its ballot: the seventh consent). A warm-up round of the
// same size goes first. --sql prints the commands of one closing vote (an interceptor, on a separate warm-up ballot).
// CLOSING_PAUSE_SECONDS=n waits that long before the last round's closing votes, printing the process id, for a tracer
// to attach (bench/WorkflowHost.Bench.Closing/trace-closing.sh).
var provider = args.ElementAtOrDefault(0) ?? "sqlite";
var ballots = int.Parse(args.ElementAtOrDefault(1) ?? "300", CultureInfo.InvariantCulture);
var rounds = int.Parse(args.ElementAtOrDefault(2) ?? "3", CultureInfo.InvariantCulture);
var showSql = args.Contains("--sql");
var pause = int.TryParse(Environment.GetEnvironmentVariable("CLOSING_PAUSE_SECONDS"), CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;

var root = Directory.CreateTempSubdirectory("wfh-closing-").FullName;
var pgServer = Environment.GetEnvironmentVariable("WORKFLOWHOST_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=workflowhost;Password=workflowhost";
var pgDatabase = "wfh_closing_" + Guid.NewGuid().ToString("N")[..12];
var persistence = provider == "postgresql"
    ? new PersistenceOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = new NpgsqlConnectionStringBuilder(pgServer) { Database = pgDatabase }.ConnectionString }
    : new PersistenceOptions { Provider = DatabaseProvider.Sqlite, DataFolder = "data" };
if (provider == "postgresql")
{
    await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pgServer) { Database = "postgres" }.ConnectionString);
    await admin.OpenAsync();
    await new NpgsqlCommand($"CREATE DATABASE \"{pgDatabase}\"", admin).ExecuteNonQueryAsync();
}

var log = new CommandLog();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# closing-vote bench: {provider}, {ballots} ballots a round, {rounds} rounds; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
try
{
    using var host = await BuildHostAsync();
    var commands = host.Services.GetRequiredService<WorkflowCommands>();
    var contexts = host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
    var prepared = 0;

    if (showSql)
    {
        var one = await PrepareAsync(1);
        await VoteAsync(one[0], 11);
        log.On = true;
        await VoteAsync(one[0], 12);
        log.On = false;
        foreach (var sql in log.Commands)
        {
            Console.WriteLine("-- " + sql.ReplaceLineEndings(" "));
        }

        Console.WriteLine($"-- {log.Commands.Count} commands");
    }

    for (var round = 0; round <= rounds; round++)
    {
        var batch = await PrepareAsync(ballots);
        var ordinary = await MeasureAsync(batch, 11);
        if (round == rounds && pause > 0)
        {
            // For a tracer to attach (dotnet-trace collect -p): what follows until "round N:" is the closing votes only.
            Console.WriteLine($"closing votes next: pid {Environment.ProcessId}");
            await Task.Delay(TimeSpan.FromSeconds(pause));
        }

        var closing = await MeasureAsync(batch, 12);
        if (round == 0)
        {
            Console.WriteLine("warm-up done");
            continue;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: ordinary vote {ordinary.Bytes / 1024:F1} KB, {ordinary.CpuMs:F3} ms CPU, {ordinary.WallMs:F3} ms; closing vote {closing.Bytes / 1024:F1} KB, {closing.CpuMs:F3} ms CPU, {closing.WallMs:F3} ms; gen0 {closing.Gen0}"));
    }

    return 0;

    async Task<List<Ballot>> PrepareAsync(int count)
    {
        var list = new List<Ballot>(count);
        for (var i = 0; i < count; i++)
        {
            var n = ++prepared;
            var input = new JsonObject
            {
                ["kind"] = "promotion", ["nomineeName"] = $"压测人选{n:D5}", ["nomineePost"] = "科长", ["proposedPost"] = "副局长",
                ["partyMembership"] = "full-member", ["reason"] = "工作扎实，积极参加社区志愿服务。",
                ["replyNeededBy"] = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            var started = await commands.StartAsync(new StartCommand("promotion-consultation", "binhe", "p-liaison-gao", input, $"start-{n}"));
            Check(started);
            var check = await OpenItemAsync(started.InstanceId, "office-check");
            Check(await commands.ResumeAsync(new ResumeCommand(started.InstanceId, "binhe", new CompleteTask(check, "p-office-xie", "accept"), $"accept-{n}")));
            var ballot = await OpenItemAsync(started.InstanceId, "committee-ballot");
            await using var db = await contexts.CreateDbContextAsync();
            var voters = await db.BallotVoters.AsNoTracking()
                .Where(v => v.InstanceId == started.InstanceId && v.BookmarkId == ballot && v.Status == VoterStatus.Pending)
                .Select(v => v.PersonId).ToListAsync();
            if (voters.Count != 13)
            {
                throw new InvalidOperationException($"Expected 13 pending voters, found {voters.Count}.");
            }

            // As the load bench plans them: consent and object in turn, so the thirteenth vote (the seventh consent) decides.
            var b = new Ballot(started.InstanceId, ballot, [.. voters.Order(StringComparer.Ordinal)]);
            for (var v = 0; v < 11; v++)
            {
                await VoteAsync(b, v);
            }

            list.Add(b);
        }

        return list;
    }

    async Task<Figures> MeasureAsync(List<Ballot> batch, int position)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var gen0 = GC.CollectionCount(0);
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        foreach (var ballot in batch)
        {
            await VoteAsync(ballot, position);
        }

        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        return new Figures((double)allocated / batch.Count, cpuMs / batch.Count, watch.Elapsed.TotalMilliseconds / batch.Count, GC.CollectionCount(0) - gen0);
    }

    async Task VoteAsync(Ballot ballot, int position)
    {
        var voter = ballot.Voters[position];
        var result = await commands.ResumeAsync(new ResumeCommand(ballot.InstanceId, "binhe", new CastVote(ballot.BookmarkId, voter, position % 2 == 0 ? "consent" : "object"),
            $"vote-{ballot.InstanceId:N}-{voter}"));
        Check(result);
        var expected = position == 12 ? InstanceStatus.Completed : InstanceStatus.Running;
        if (result.Status != expected)
        {
            throw new InvalidOperationException($"Vote {position + 1} left instance {ballot.InstanceId} {result.Status}, expected {expected}.");
        }
    }

    async Task<string> OpenItemAsync(Guid instanceId, string activityId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.WorkItems.AsNoTracking()
            .Where(w => w.InstanceId == instanceId && w.ActivityId == activityId && w.Status == WorkItemStatus.Open)
            .Select(w => w.BookmarkId).SingleAsync();
    }
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

    Directory.Delete(root, recursive: true);
}

static void Check(CommandResult result)
{
    if (!result.Succeeded)
    {
        throw new InvalidOperationException($"Instance {result.InstanceId}: {result.Message}");
    }
}

async Task<IHost> BuildHostAsync()
{
    var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = root });
    builder.Services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton<IWorkingCalendar>(CalendarLoader.Load(Path.Combine(RepositoryRoot(), "seeds", "calendar"), new CalendarOptions(), NullLogger.Instance));
    builder.Services.AddWorkflowPersistence(persistence, root);
    builder.Services.AddStoreKeys("YmVuY2gtb25seS1zZWFsaW5nLWtleS1iaW5oZS0yMDI2ISEh"); // fixed: the bench is not secret
    // Hangfire's client and storage as the host has them; no server, and the host is never started (no background work).
    builder.Services.AddWorkflowScheduling(new SchedulingOptions { RunServer = false }, persistence, root);
    builder.Services.AddWorkflowNotifications(new SmtpOptions());
    if (showSql)
    {
        builder.Services.ConfigureDbContext<WorkflowDbContext>(options => options.AddInterceptors(log));
    }

    var host = builder.Build();
    await WorkflowDatabase.InitializeAsync(host.Services, Path.Combine(RepositoryRoot(), "workflows"), Path.Combine(RepositoryRoot(), "seeds"));
    return host;
}

// Above the program (run from its build folder) or above the current directory (a build copied elsewhere, to compare).
static string RepositoryRoot()
{
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

    throw new InvalidOperationException("The repository root (WorkflowHost.sln) was not found above the program or the current directory.");
}

internal sealed record Ballot(Guid InstanceId, string BookmarkId, string[] Voters);

internal readonly record struct Figures(double Bytes, double CpuMs, double WallMs, int Gen0);

/// <summary>The commands sent while <see cref="On"/>, for --sql.</summary>
internal sealed class CommandLog : DbCommandInterceptor
{
    public bool On { get; set; }

    public List<string> Commands { get; } = [];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) => Log(command, result);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Log(command, result));

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Log(command, result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) => Log(command, result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Log(command, result));

    private T Log<T>(DbCommand command, T result)
    {
        if (On)
        {
            lock (Commands)
            {
                Commands.Add($"[{command.Parameters.Count}] {command.CommandText}");
            }
        }

        return result;
    }
}
