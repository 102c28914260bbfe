using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace WorkflowHost.Tests.Support;

/// <summary>
/// The real host (the repository's appsettings.json, workflows/ plus the test workflows, and seeds/) on a database of
/// its own: a SQLite file in a temporary folder, or a fresh PostgreSQL database when <paramref name="postgreSql"/> is
/// given. Time is a <see cref="FakeTimeProvider"/> starting Friday 27 November 2026, 10:00 in Shanghai. Every log line
/// the host writes is kept in <see cref="Logs"/>. Settings given to the constructor override appsettings.json the way
/// environment variables would; <paramref name="services"/> changes the host's services after the host's own registrations.
/// </summary>
public sealed class HostFactory(
    IReadOnlyDictionary<string, string?>? settings = null,
    string environment = "Development",
    PostgreSqlTestDatabase? postgreSql = null,
    Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    public string DataFolder { get; } = Directory.CreateTempSubdirectory("workflowhost-host-").FullName;

    public FakeTimeProvider Time { get; } = new(DefaultStart);

    public ConcurrentQueue<string> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var workflows = Path.Combine(DataFolder, "workflows");
        Directory.CreateDirectory(workflows);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "workflows"), "*.json")
                     .Concat(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestWorkflows"), "*.json")))
        {
            File.Copy(file, Path.Combine(workflows, Path.GetFileName(file)), overwrite: true);
        }

        builder.UseContentRoot(RepositoryPaths.Root);
        builder.UseEnvironment(environment);
        builder.UseSetting("Persistence:DataFolder", DataFolder);
        builder.UseSetting("WorkflowHost:WorkflowsFolder", workflows);
        builder.UseSetting("Accounts:SignInAttemptsPerMinute", "10000");
        builder.UseSetting("Accounts:PublicRequestsPerMinute", "10000");
        if (postgreSql is not null)
        {
            builder.UseSetting("Persistence:Provider", "PostgreSql");
            builder.UseSetting("Persistence:PostgreSqlConnectionString", postgreSql.ConnectionString);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(testServices =>
        {
            testServices.AddSingleton<TimeProvider>(Time);
            testServices.AddLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)).SetMinimumLevel(LogLevel.Trace));
            services?.Invoke(testServices);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection; the OS cleans the temporary folder later.
        }
    }
}

/// <summary>Keeps every formatted log line (with its exception) so tests can search what the host wrote.</summary>
internal sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
