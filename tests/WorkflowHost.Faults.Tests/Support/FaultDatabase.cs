using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Persistence;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>
/// The database a fault run's hosts share: a SQLite file in a temporary folder, or a fresh PostgreSQL database. The
/// folder also holds the hosts' workflows folder and their logs.
/// </summary>
public abstract class FaultDatabase : IAsyncDisposable
{
    protected FaultDatabase()
    {
        Workflows = Path.Combine(Folder, "workflows");
        Directory.CreateDirectory(Workflows);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "workflows"), "*.json")
                     .Concat(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestWorkflows"), "*.json")))
        {
            File.Copy(file, Path.Combine(Workflows, Path.GetFileName(file)));
        }
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("workflowhost-faults-").FullName;

    /// <summary>The shipped definitions plus the short-timer ones of these tests.</summary>
    public string Workflows { get; }

    public abstract string Name { get; }

    public abstract PersistenceOptions Options { get; }

    /// <summary>Settings for a host process on this database, as environment variables.</summary>
    public IReadOnlyDictionary<string, string> HostSettings() => new Dictionary<string, string>
    {
        ["Persistence__Provider"] = Options.Provider.ToString(),
        ["Persistence__DataFolder"] = Path.GetFullPath(Options.DataFolder, Folder),
        ["Persistence__PostgreSqlConnectionString"] = Options.PostgreSqlConnectionString ?? "",
        ["WorkflowHost__WorkflowsFolder"] = Workflows,
    };

    /// <summary>A context on the database itself, for the invariant checks: no host in between.</summary>
    public WorkflowDbContext Open()
    {
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        PersistenceServiceCollectionExtensions.Configure(builder, Options, Folder);
        return new WorkflowDbContext(builder.Options);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("WORKFLOWHOST_FAULTS_KEEP") == "1")
        {
            return ValueTask.CompletedTask; // the database files and host logs, for a look after the run
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open; the OS cleans the temporary folder later.
        }

        return ValueTask.CompletedTask;
    }

    public static async Task<FaultDatabase> CreateAsync(DatabaseProvider provider) =>
        provider == DatabaseProvider.PostgreSql ? await PostgreSqlFaultDatabase.CreateAsync() : new SqliteFaultDatabase();
}

public sealed class SqliteFaultDatabase : FaultDatabase
{
    public override string Name => "SQLite";

    public override PersistenceOptions Options { get; } = new() { Provider = DatabaseProvider.Sqlite, DataFolder = "data" };
}

/// <summary>
/// A database of its own on the server named by <c>WORKFLOWHOST_TEST_POSTGRES</c> (default: the role
/// <c>.ci/start-postgres.sh</c> creates). Without a server the test is skipped with the reason, unless
/// <c>WORKFLOWHOST_REQUIRE_POSTGRES=1</c> (CI), where that fails it.
/// </summary>
public sealed class PostgreSqlFaultDatabase : FaultDatabase
{
    private const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=workflowhost;Password=workflowhost";

    private readonly string _server;
    private readonly string _database = "wfh_faults_" + Guid.NewGuid().ToString("N")[..16];

    private PostgreSqlFaultDatabase(string server)
    {
        _server = server;
        Options = new PersistenceOptions
        {
            Provider = DatabaseProvider.PostgreSql,
            PostgreSqlConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database, MaxPoolSize = 30 }.ConnectionString,
        };
    }

    public override string Name => "PostgreSQL";

    public override PersistenceOptions Options { get; }

    private static string Server => Environment.GetEnvironmentVariable("WORKFLOWHOST_TEST_POSTGRES") ?? DefaultServer;

    private static bool Required => Environment.GetEnvironmentVariable("WORKFLOWHOST_REQUIRE_POSTGRES") == "1";

    public static async Task<PostgreSqlFaultDatabase> CreateAsync()
    {
        var server = Server;
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Timeout = 5 }.ConnectionString);
            await connection.OpenAsync();
            var database = new PostgreSqlFaultDatabase(server);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database._database}\"", connection);
            await create.ExecuteNonQueryAsync();
            return database;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && !Required)
        {
            Assert.Skip($"PostgreSQL is not reachable ({e.Message}). Start it with `bash .ci/start-postgres.sh`, or set WORKFLOWHOST_TEST_POSTGRES.");
            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("WORKFLOWHOST_FAULTS_KEEP") == "1")
        {
            await base.DisposeAsync();
            return;
        }

        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres" }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await base.DisposeAsync();
    }
}
