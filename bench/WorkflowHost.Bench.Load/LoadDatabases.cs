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

    /// <summary>
    /// Gives the host's PostgreSQL database its statistics (<c>ANALYZE</c>) and says how many tables now have them; on
    /// SQLite nothing (null). The bench calls it before the first timed round: the database is created for the
    /// run, the host prepares its statements on every connection within seconds (decision 159) and PostgreSQL plans them
    /// against tables that are nearly empty and never analysed; such a plan is kept until something invalidates it, and
    /// the first thing that does is autovacuum's first analyse, which lands anywhere in the run or after it. The step's
    /// read kept a plan that reads all of the voter's ballots (docs/benchmarks.md section 22b), so the server's figure
    /// depended on when autovacuum came. An analyse invalidates the plans on every connection, so the timed rounds run
    /// on plans made with statistics, as a database in service has them. When matters too: analysed with no ballot open,
    /// the voters' partial index of pending rows looks empty and the guarded update of a voter's row takes it, reading
    /// every pending row of the voter instead of the one its key names (section 22b), so the bench analyses with the
    /// first timed round's ballots open.
    /// </summary>
    public async Task<int?> AnalyzeHostAsync() =>
        _server is null ? null : await AnalyzeAsync(Host.PostgreSqlConnectionString!);

    internal static async Task<int> AnalyzeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE", connection))
        {
            analyze.CommandTimeout = 300;
            await analyze.ExecuteNonQueryAsync();
        }

        // pg_stat_user_tables' last_analyze is reported by the statistics system, which may lag; pg_stats is the catalog.
        await using var count = new NpgsqlCommand("SELECT count(DISTINCT tablename) FROM pg_stats WHERE schemaname = current_schema()", connection);
        return (int)(long)(await count.ExecuteScalarAsync())!;
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
