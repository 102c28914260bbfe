using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowHost.Engine.Time;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Calendar;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Tests.Support;

/// <summary>
/// One host process as the real host wires it (persistence, a real Hangfire server, e-mail to <see cref="SmtpSink"/>)
/// on a real database, in real time. Stopping it and starting another on the same database is a restart; two started
/// at once on one PostgreSQL database are two processes sharing it.
/// </summary>
public sealed class JobsTestHost : IAsyncDisposable
{
    /// <summary>The store key of every jobs test host (its database's journal and sealed ballots); a test-only value.</summary>
    public const string SealingKey = "dGVzdC1vbmx5LXNlYWxpbmcta2V5LWJpbmhlLTIwMjYhIQ==";

    public const string Community = "binhe";
    public const string Liaison = "p-liaison-gao";

    private readonly IHost _host;
    private bool _stopped;

    private JobsTestHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public WorkflowCommands Commands => Services.GetRequiredService<WorkflowCommands>();

    public WorkflowQueries Queries => Services.GetRequiredService<WorkflowQueries>();

    public static SchedulingOptions FastScheduling(string name) => new()
    {
        SchedulePollingInterval = TimeSpan.FromMilliseconds(200),
        QueuePollInterval = TimeSpan.FromMilliseconds(200),
        WorkerCount = 4,
        ServerName = name,
    };

    public static Task<JobsTestHost> StartAsync(TestDatabase database, SmtpSink smtp, SchedulingOptions? scheduling = null, string name = "test-host") =>
        StartAsync(database, smtp.Port, scheduling, name);

    public static async Task<JobsTestHost> StartAsync(TestDatabase database, int smtpPort, SchedulingOptions? scheduling = null, string name = "test-host", int smtpMaxAttempts = 3)
    {
        var host = await CreateAsync(database, smtpPort, scheduling, name, smtpMaxAttempts);
        await host.RunAsync();
        return host;
    }

    /// <summary>Builds the host and prepares its database without starting it (no Hangfire server yet); <see cref="RunAsync"/> starts it.</summary>
    public static async Task<JobsTestHost> CreateAsync(
        TestDatabase database, int smtpPort, SchedulingOptions? scheduling = null, string name = "test-host", int smtpMaxAttempts = 3, Action<IServiceCollection>? configure = null)
    {
        var workflows = Path.Combine(database.ContentRoot, "workflows");
        if (!Directory.Exists(workflows))
        {
            Directory.CreateDirectory(workflows);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestWorkflows"), "*.json"))
            {
                File.Copy(file, Path.Combine(workflows, Path.GetFileName(file)));
            }
        }

        // Migrated once per test run (not a test about migrating): its start-up finds nothing pending and goes on as on an empty database.
        (database as SqliteTestDatabase)?.StartFromMigratedTemplate();

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = database.ContentRoot });
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IWorkingCalendar>(CalendarLoader.Load(Path.Combine(RepositoryPaths.Seeds, "calendar"), new CalendarOptions(), NullLogger.Instance));
        builder.Services.AddWorkflowPersistence(database.Options, database.ContentRoot);
        builder.Services.AddStoreKeys(SealingKey);
        builder.Services.AddWorkflowScheduling(scheduling ?? FastScheduling(name), database.Options, database.ContentRoot);
        builder.Services.AddWorkflowNotifications(new SmtpOptions
        {
            Host = "127.0.0.1", Port = smtpPort, Security = "None", FromAddress = "office@binhe.example.org",
            FirstRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(2), MaxAttempts = smtpMaxAttempts,
        });
        configure?.Invoke(builder.Services); // e.g. a FakeTimeProvider for a job that looks at the date
        var host = builder.Build();
        await WorkflowDatabase.InitializeAsync(host.Services, workflows, RepositoryPaths.Seeds);
        return new JobsTestHost(host);
    }

    /// <summary>Starts the host built by <see cref="CreateAsync"/>: the Hangfire server and the scheduling start-up.</summary>
    public Task RunAsync() => _host.StartAsync();

    public async Task<Guid> StartBallotAsync(string definition = "test-short-ballot")
    {
        var result = await Commands.StartAsync(new StartCommand(definition, Community, Liaison, new JsonObject { ["title"] = "表决" }));
        Assert.True(result.Succeeded, result.Message);
        return result.InstanceId;
    }

    public async Task<string> BallotOfAsync(Guid instanceId) =>
        Assert.Single((await Queries.GetAsync(instanceId))!.WorkItems, w => w.Kind == "ballot").BookmarkId;

    public async Task<IReadOnlyList<string>> EligibleAsync(Guid instanceId, string ballot) =>
        [.. (await Queries.VotersAsync(instanceId, ballot)).Where(v => v.Status == VoterStatus.Pending).Select(v => v.PersonId).Order(StringComparer.Ordinal)];

    public async Task VoteAsync(Guid instanceId, string ballot, string voter, string choice)
    {
        var result = await Commands.ResumeAsync(new ResumeCommand(instanceId, Community, new Engine.Runtime.CastVote(ballot, voter, choice)));
        Assert.True(result.Succeeded, result.Message);
    }

    public async Task<WorkflowDbContext> OpenDbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();

    /// <summary>Stops the process: the Hangfire server shuts down, nothing more runs here.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
