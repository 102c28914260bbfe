using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Calendar;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Records;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>
/// The persistence layer wired as the host wires it, on a real database, with fake time. Disposing it is the
/// test's "process exit": a new <see cref="WorkflowTestHost"/> on the same database is a restarted process.
/// </summary>
public sealed class WorkflowTestHost : IAsyncDisposable
{
    /// <summary>Friday 27 November 2026, 10:00 in Shanghai.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    /// <summary>The server key documents' verification codes are made with in tests (32 bytes, base64).</summary>
    public const string DocumentKey = "dGVzdC1vbmx5LWRvY3VtZW50LWtleS1iaW5oZS0yMDI2IQ==";

    /// <summary>The sealing key of the journal chain and secret ballots in tests (32 bytes, base64).</summary>
    public const string SealingKey = "dGVzdC1vbmx5LXNlYWxpbmcta2V5LWJpbmhlLTIwMjYhIQ==";

    private readonly ServiceProvider _services;

    /// <summary>Set by <see cref="StartOwningAsync"/>: this host drops the database when it is disposed.</summary>
    private bool _ownsDatabase;

    private WorkflowTestHost(ServiceProvider services, TestDatabase database, FakeTimeProvider time, string workflowsFolder)
    {
        _services = services;
        Database = database;
        Time = time;
        WorkflowsFolder = workflowsFolder;
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Time { get; }

    public string WorkflowsFolder { get; }

    public IServiceProvider Services => _services;

    public WorkflowCommands Commands => _services.GetRequiredService<WorkflowCommands>();

    public WorkflowQueries Queries => _services.GetRequiredService<WorkflowQueries>();

    public DefinitionCatalog Catalog => _services.GetRequiredService<DefinitionCatalog>();

    public ProcessQueries Processes => new(_services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>());

    public DocumentQueries Documents => new(_services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>());

    /// <summary>
    /// Starts on <paramref name="database"/>. The workflows folder is a copy of the repository's definitions plus the
    /// test-only ones, so a test may edit a file without touching the repository.
    /// </summary>
    public static async Task<WorkflowTestHost> StartAsync(TestDatabase database, FakeTimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        time ??= new FakeTimeProvider(DefaultStart);
        var workflows = Path.Combine(database.ContentRoot, "workflows");
        if (!Directory.Exists(workflows))
        {
            Directory.CreateDirectory(workflows);
            foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Workflows, "*.json")
                         .Concat(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestWorkflows"), "*.json")))
            {
                File.Copy(file, Path.Combine(workflows, Path.GetFileName(file)));
            }
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IWorkingCalendar>(CalendarLoader.Load(Path.Combine(RepositoryPaths.Seeds, "calendar"), new CalendarOptions(), NullLogger.Instance));
        services.AddWorkflowPersistence(database.Options, database.ContentRoot);
        services.AddStoreKeys(SealingKey);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(validateScopes: true);
        await WorkflowDatabase.InitializeAsync(provider, workflows, RepositoryPaths.Seeds);
        return new WorkflowTestHost(provider, database, time, workflows);
    }

    /// <summary>
    /// Starts on a database made for this host alone, and drops it with the host: a test that creates its database
    /// inline has nothing else that would (on PostgreSQL, the database would outlive the run).
    /// </summary>
    public static async Task<WorkflowTestHost> StartOwningAsync(TestDatabase database, FakeTimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        try
        {
            var host = await StartAsync(database, time, configure);
            host._ownsDatabase = true;
            return host;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async Task<WorkflowDbContext> OpenDbAsync() =>
        await _services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
