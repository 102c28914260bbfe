using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Persistence;

namespace WorkflowHost.Testing;

/// <summary>A real database for one test class: a SQLite file in a temporary folder, or a fresh PostgreSQL database.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract PersistenceOptions Options { get; }

    /// <summary>Folder the host treats as its content root (the SQLite file lives under it).</summary>
    public string ContentRoot { get; } = Directory.CreateTempSubdirectory("workflowhost-test-").FullName;

    /// <summary>
    /// Options for a context outside any host, configured exactly as the host configures its own (provider, connection
    /// defaults, interceptors), so a test's context behaves as production's; the caller may add test interceptors.
    /// </summary>
    public DbContextOptionsBuilder<WorkflowDbContext> ContextOptions()
    {
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        PersistenceServiceCollectionExtensions.Configure(builder, Options, ContentRoot);
        return builder;
    }

    /// <summary>A context configured as the host's (<see cref="ContextOptions"/>), not from its pool; the caller disposes it.</summary>
    public WorkflowDbContext NewContext() => new(ContextOptions().Options);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(ContentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a pooled connection; the temp folder is cleaned by the OS later.
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class SqliteTestDatabase : TestDatabase
{
    public override PersistenceOptions Options { get; } = new() { Provider = DatabaseProvider.Sqlite, DataFolder = "data" };

    public string FilePath => Path.Combine(ContentRoot, "data", Options.SqliteFileName);

    /// <summary>The connection string the host would use for this file, pooling and pragmas included.</summary>
    public string ConnectionString => PersistenceServiceCollectionExtensions.SqliteConnectionString(Options, ContentRoot);

    /// <summary>A plain, open Microsoft.Data.Sqlite connection to the file, as the host would open it but without EF Core.</summary>
    public Microsoft.Data.Sqlite.SqliteConnection OpenConnection()
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Before a host's first start: the file begins as a copy of <see cref="MigratedSqliteTemplate"/> instead of empty,
    /// so the host does not replay every migration. A file that exists already (a restart) is left as it is.
    /// </summary>
    public void StartFromMigratedTemplate()
    {
        if (!File.Exists(FilePath))
        {
            MigratedSqliteTemplate.CopyTo(FilePath);
        }
    }

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return base.DisposeAsync();
    }
}

/// <summary>
/// A database of its own on the PostgreSQL server named by <c>WORKFLOWHOST_TEST_POSTGRES</c> (default: the role that
/// <c>.ci/start-postgres.sh</c> creates). Without a server the tests are skipped with the reason, unless
/// <c>WORKFLOWHOST_REQUIRE_POSTGRES=1</c> (set by CI), where a missing server fails them.
/// </summary>
public sealed class PostgreSqlTestDatabase : TestDatabase
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=workflowhost;Password=workflowhost";

    private readonly string _server;
    /// <summary>Databases are named with their creation time, so those a killed run left behind can be told apart.</summary>
    private const string Prefix = "wfh_test_";
    private const string Stamp = "yyyyMMddHHmm";

    /// <summary>A test run lasts well under this; an older database's run was killed before it could drop it.</summary>
    private static readonly TimeSpan Abandoned = TimeSpan.FromHours(6);

    private static int _swept;

    private readonly string _database = Prefix + DateTime.UtcNow.ToString(Stamp, System.Globalization.CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..12];

    private PostgreSqlTestDatabase(string server)
    {
        _server = server;
        Options = new PersistenceOptions
        {
            Provider = DatabaseProvider.PostgreSql,
            PostgreSqlConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database, MaxPoolSize = 50 }.ConnectionString,
        };
    }

    public override PersistenceOptions Options { get; }

    /// <summary>The connection string of this test's own database.</summary>
    public string ConnectionString => Options.PostgreSqlConnectionString!;

    public static string Server => Environment.GetEnvironmentVariable("WORKFLOWHOST_TEST_POSTGRES") ?? DefaultServer;

    public static bool Required => Environment.GetEnvironmentVariable("WORKFLOWHOST_REQUIRE_POSTGRES") == "1";

    /// <summary>
    /// Creates the database, or skips (fails, in CI) the calling test when no server answers. <paramref name="migrated"/>:
    /// a copy of a database with every migration applied and nothing else (<see cref="MigratedTemplateAsync"/>), for a
    /// test whose host would only replay them; tests about migrating start from an empty one.
    /// </summary>
    public static async Task<PostgreSqlTestDatabase> CreateAsync(bool migrated = false)
    {
        var server = Server;
        try
        {
            await using var connection = await ServerConnection.OpenAsync(server);
            if (Interlocked.Exchange(ref _swept, 1) == 0)
            {
                await DropAbandonedAsync(connection);
            }

            var template = migrated ? $" TEMPLATE \"{await MigratedTemplateAsync(server)}\"" : "";
            var database = new PostgreSqlTestDatabase(server);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database._database}\"{template}", connection);
            await create.ExecuteNonQueryAsync();
            return database;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or PostgreSqlUnreachableException && !Required)
        {
            Assert.Skip($"PostgreSQL is not reachable ({e.Message}). Start it with `bash .ci/start-postgres.sh`, or set WORKFLOWHOST_TEST_POSTGRES.");
            throw;
        }
    }

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    /// <summary>
    /// This process's migrated template, made by the first test that asks: migrated through EF Core as a host would,
    /// then closed to connections, since PostgreSQL copies a template only while nobody is connected to it. Named like
    /// the test databases, so that the sweep of a later run drops it (<see cref="DropAbandonedAsync"/>).
    /// </summary>
    private static async Task<string> MigratedTemplateAsync(string server)
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_template is { } made)
            {
                return made;
            }

            var template = new PostgreSqlTestDatabase(server);
            await using (var connection = await ServerConnection.OpenAsync(server))
            await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{template._database}\"", connection))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using (var db = template.NewContext())
            {
                await db.Database.MigrateAsync();
            }

            // The contexts pool under the string with the host's defaults added (decision 159): clear that pool, or the template stays in use.
            await using (var probe = new NpgsqlConnection(PostgreSqlConnectionDefaults.Apply(template.ConnectionString)))
            {
                NpgsqlConnection.ClearPool(probe);
            }

            await using (var connection = await ServerConnection.OpenAsync(server))
            await using (var close = new NpgsqlCommand($"ALTER DATABASE \"{template._database}\" WITH ALLOW_CONNECTIONS false", connection))
            {
                await close.ExecuteNonQueryAsync();
            }

            Directory.Delete(template.ContentRoot, recursive: true);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAtExit(server, template._database);
            return _template = template._database;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>
    /// Best effort: the test runner may end the process before this has run (seen with the VSTest adapter), and then a
    /// later run's sweep drops the template with the other abandoned databases.
    /// </summary>
    private static void DropAtExit(string server, string database)
    {
        try
        {
            using var connection = new NpgsqlConnection(server);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // Left for the sweep.
        }
    }

    /// <summary>
    /// Drops the test databases of runs killed mid-way (a session's time limit, a SIGKILL), once per test process: they
    /// would otherwise pile up on a developer's server (1,458 of them, 14 GB, were found on one).
    /// </summary>
    private static async Task DropAbandonedAsync(NpgsqlConnection connection)
    {
        var names = new List<string>();
        await using (var list = new NpgsqlCommand($"SELECT datname FROM pg_database WHERE datname LIKE '{Prefix}%'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        var before = DateTime.UtcNow - Abandoned;
        foreach (var name in names)
        {
            var stamp = name.Length > Prefix.Length + Stamp.Length ? name.Substring(Prefix.Length, Stamp.Length) : "";
            if (DateTime.TryParseExact(stamp, Stamp, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var created)
                && created < before)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using (var connection = await ServerConnection.OpenAsync(_server))
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await drop.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 5)
                {
                    // A server without the pg_signal_backend grant (.ci/start-postgres.sh gives it) cannot end an
                    // autovacuum worker busy on the database; the worker finishes within moments, so try again.
                    await Task.Delay(TimeSpan.FromSeconds(attempt));
                }
            }
        }

        await base.DisposeAsync();
    }
}
