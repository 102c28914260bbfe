using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Notifications.Channels;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Calendar;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Tests.Support;

/// <summary>
/// One host's notification side on a real database, on a <see cref="FakeTimeProvider"/>: the engine's commands, the
/// outbox, the channels and the delivery job, with Hangfire replaced by a recorder (the test plays the scheduler: it runs
/// due timers and due deliveries as the sweep would). Two worlds on one database are two hosts.
/// </summary>
public sealed class ChannelWorld : IAsyncDisposable
{
    public const string Community = "binhe";

    private readonly ServiceProvider _services;

    private ChannelWorld(ServiceProvider services, FakeTimeProvider time, RecordingJobs jobs, LogCapture logs)
    {
        _services = services;
        Time = time;
        Jobs = jobs;
        Logs = logs;
    }

    public FakeTimeProvider Time { get; }

    public RecordingJobs Jobs { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _services;

    public WorkflowCommands Commands => _services.GetRequiredService<WorkflowCommands>();

    public ChannelOutbox Outbox => _services.GetRequiredService<ChannelOutbox>();

    /// <summary>A working Tuesday, 10:00 in Beijing: outside quiet hours.</summary>
    public static readonly DateTimeOffset WorkingMorning = new(2026, 3, 3, 10, 0, 0, TimeSpan.FromHours(8));

    public static async Task<ChannelWorld> StartAsync(TestDatabase database, ChannelOptions options, DateTimeOffset? start = null, FakeTimeProvider? sharedTime = null)
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

        var time = sharedTime ?? new FakeTimeProvider((start ?? WorkingMorning).ToUniversalTime()); // a clock answers in UTC, as TimeProvider.System does
        var jobs = new RecordingJobs();
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IWorkingCalendar>(CalendarLoader.Load(Path.Combine(RepositoryPaths.Seeds, "calendar"), new CalendarOptions(), NullLogger.Instance));
        services.AddWorkflowPersistence(database.Options, database.ContentRoot);
        services.AddStoreKeys(JobsTestHost.SealingKey);
        services.AddSingleton<IBackgroundJobClient>(jobs);
        services.AddWorkflowNotifications(new SmtpOptions(), options);
        var provider = services.BuildServiceProvider();
        await WorkflowDatabase.InitializeAsync(provider, workflows, RepositoryPaths.Seeds);
        foreach (var hosted in provider.GetServices<IHostedService>().Where(s => s.GetType().Name == "ChannelStartup"))
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return new ChannelWorld(provider, time, jobs, logs);
    }

    public async Task<Guid> StartBallotAsync(string definition = "test-channel-ballot", string title = "社区停车位调整")
    {
        var result = await Commands.StartAsync(new StartCommand(definition, Community, "p-liaison-gao", new JsonObject { ["title"] = title }));
        Assert.True(result.Succeeded, result.Message);
        return result.InstanceId;
    }

    public async Task<string> BallotOfAsync(Guid instanceId)
    {
        await using var db = await OpenDbAsync();
        return await db.WorkItems.Where(w => w.InstanceId == instanceId && w.Kind == "ballot").Select(w => w.BookmarkId).SingleAsync();
    }

    public async Task VoteAsync(Guid instanceId, string ballot, string voter, string choice, string? reason = null)
    {
        var result = await Commands.ResumeAsync(new ResumeCommand(instanceId, Community, new CastVote(ballot, voter, choice, reason)));
        Assert.True(result.Succeeded, result.Message);
    }

    /// <summary>What the sweep does with timers: fires every due one.</summary>
    public async Task FireDueTimersAsync()
    {
        var queries = _services.GetRequiredService<WorkflowQueries>();
        foreach (var timer in await queries.DueTimersAsync(Time.GetUtcNow(), 1000))
        {
            await Commands.ResumeAsync(new ResumeCommand(timer.InstanceId, timer.CommunityId, new FireTimer(timer.TimerId)));
        }
    }

    /// <summary>What the sweep does with deliveries: runs the delivery job for every notification with a delivery whose turn came.</summary>
    public async Task<int> DeliverDueAsync()
    {
        var ids = await _services.GetRequiredService<NotificationOutbox>().DueAsync(1000);
        foreach (var id in ids.Distinct())
        {
            await NewDeliverJob().RunAsync(id, CancellationToken.None);
        }

        return ids.Count;
    }

    public DeliverNotificationJob NewDeliverJob() => _services.GetRequiredService<DeliverNotificationJob>();

    public async Task<WorkflowDbContext> OpenDbAsync() =>
        await _services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();

    public async Task SetPhoneAsync(string personId, string phone)
    {
        await using var db = await OpenDbAsync();
        await db.People.Where(p => p.Id == personId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Phone, phone));
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}

/// <summary>Hangfire's client as a recorder: what would have been enqueued or scheduled, and when.</summary>
public sealed class RecordingJobs : IBackgroundJobClient
{
    private int _next;

    public ConcurrentQueue<(string Method, object?[] Args, DateTimeOffset? At)> Created { get; } = new();

    public string Create(Job job, IState state)
    {
        var at = state is ScheduledState scheduled ? new DateTimeOffset(scheduled.EnqueueAt, TimeSpan.Zero) : (DateTimeOffset?)null;
        Created.Enqueue((job.Method.Name, [.. job.Args], at));
        return Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}

/// <summary>Every log line of the world, formatted, with exceptions: what the leak scan reads.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string All => string.Join("\n", Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
