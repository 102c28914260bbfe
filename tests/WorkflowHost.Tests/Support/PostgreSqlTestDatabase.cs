using Npgsql;

namespace WorkflowHost.Tests.Support;

/// <summary>
/// A fresh database on the PostgreSQL server named by <c>WORKFLOWHOST_TEST_POSTGRES</c> (default: the role that
/// <c>.ci/start-postgres.sh</c> creates). Without a server the calling test is skipped with the reason, unless
/// <c>WORKFLOWHOST_REQUIRE_POSTGRES=1</c> (CI), where it fails.
/// </summary>
public sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=workflowhost;Password=workflowhost";

    private readonly string _server;
    private readonly string _database = "wfh_api_" + Guid.NewGuid().ToString("N")[..16];

    private PostgreSqlTestDatabase(string server)
    {
        _server = server;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database, MaxPoolSize = 50 }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgreSqlTestDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("WORKFLOWHOST_TEST_POSTGRES") ?? DefaultServer;
        var required = Environment.GetEnvironmentVariable("WORKFLOWHOST_REQUIRE_POSTGRES") == "1";
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Timeout = 5 }.ConnectionString);
            await connection.OpenAsync();
            var database = new PostgreSqlTestDatabase(server);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database._database}\"", connection);
            await create.ExecuteNonQueryAsync();
            return database;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && !required)
        {
            Assert.Skip($"PostgreSQL is not reachable ({e.Message}). Start it with `bash .ci/start-postgres.sh`, or set WORKFLOWHOST_TEST_POSTGRES.");
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
