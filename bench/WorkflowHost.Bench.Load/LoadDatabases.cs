using Npgsql;
using WorkflowHost.Persistence;

namespace WorkflowHost.Bench.Load;

/// <summary>A fresh database for the host and another for the raw rate, dropped (PostgreSQL) or deleted at the end.</summary>
internal sealed class LoadDatabases : IAsyncDisposable
{
    private readonly string? _server;
    private readonly List<string> _created = [];

    private LoadDatabases(string? server) => _server = server;

    public PersistenceOptions Host { get; private set; } = new();

    public PersistenceOptions Raw { get; private set; } = new();

    public static async Task<LoadDatabases> CreateAsync(Target target, LoadOptions options, string work, string runId)
    {
        if (target == Target.Sqlite)
        {
            return new LoadDatabases(null)
            {
                Host = new PersistenceOptions { Provider = DatabaseProvider.Sqlite, DataFolder = Path.Combine(work, "sqlite-host") },
                Raw = new PersistenceOptions { Provider = DatabaseProvider.Sqlite, DataFolder = Path.Combine(work, "sqlite-raw"), SqliteFileName = "raw.db" },
            };
        }

        var databases = new LoadDatabases(options.PostgresServer);
        databases.Host = new PersistenceOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = await databases.CreateDatabaseAsync($"wfh_load_{runId}") };
        databases.Raw = new PersistenceOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = await databases.CreateDatabaseAsync($"wfh_loadraw_{runId}") };
        return databases;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        foreach (var name in _created)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Timeout = 5 }.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        _created.Add(name);
        return new NpgsqlConnectionStringBuilder(_server) { Database = name }.ConnectionString;
    }
}
