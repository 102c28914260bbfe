using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>
/// The database a fault run's hosts share (a test database of <c>WorkflowHost.Testing</c>: a SQLite file in a
/// temporary folder, or a fresh PostgreSQL database), with the hosts' workflows folder and logs in its folder.
/// <c>WORKFLOWHOST_FAULTS_KEEP=1</c> keeps it all for a look after the run.
/// </summary>
public sealed class FaultDatabase : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private FaultDatabase(TestDatabase database, string name)
    {
        _database = database;
        Name = name;
        Workflows = Path.Combine(Folder, "workflows");
        Directory.CreateDirectory(Workflows);
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Workflows, "*.json")
                     .Concat(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestWorkflows"), "*.json")))
        {
            File.Copy(file, Path.Combine(Workflows, Path.GetFileName(file)));
        }
    }

    public string Folder => _database.ContentRoot;

    /// <summary>The shipped definitions plus the short-timer ones of these tests.</summary>
    public string Workflows { get; }

    public string Name { get; }

    public PersistenceOptions Options => _database.Options;

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

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("WORKFLOWHOST_FAULTS_KEEP") == "1")
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Npgsql.NpgsqlConnection.ClearAllPools();
            return;
        }

        await _database.DisposeAsync();
    }

    /// <summary>Skips (fails, in CI) the calling test when PostgreSQL is asked for and no server answers.</summary>
    public static async Task<FaultDatabase> CreateAsync(DatabaseProvider provider) =>
        provider == DatabaseProvider.PostgreSql
            ? new FaultDatabase(await PostgreSqlTestDatabase.CreateAsync(), "PostgreSQL")
            : new FaultDatabase(new SqliteTestDatabase(), "SQLite");
}
