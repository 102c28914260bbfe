using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;

namespace WorkflowHost.Bench.Load;

/// <summary>
/// The database's own rate for the shortest write a vote could be: one transaction that updates a row and inserts
/// one, through ADO.NET. Connections are opened the way the host opens its own (its connection string and, on SQLite,
/// its pragma interceptor: WAL, synchronous=FULL, busy timeout), transactions begun as the host's are (IMMEDIATE on
/// SQLite), each client on its own connection, on a database of its own next to the host's.
/// </summary>
internal sealed class RawRate : IAsyncDisposable
{
    private const int Rows = 1_000;

    // About the size of a VoteCast journal event.
    private const string Payload = """{"bookmark":"committee-ballot#3","voter":"p-member-chen","enteredBy":null,"choice":"consent","reason":null}""";

    private readonly PersistenceOptions _persistence;
    private readonly List<WorkflowDbContext> _clients = [];

    private RawRate(PersistenceOptions persistence) => _persistence = persistence;

    public static async Task<RawRate> CreateAsync(PersistenceOptions persistence, string contentRoot, int clients)
    {
        var raw = new RawRate(persistence);
        for (var i = 0; i < clients; i++)
        {
            var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
            PersistenceServiceCollectionExtensions.Configure(builder, persistence, contentRoot);
            var db = new WorkflowDbContext(builder.Options);
            await db.Database.OpenConnectionAsync();
            raw._clients.Add(db);
        }

        await raw.CreateSchemaAsync();
        return raw;
    }

    /// <summary>
    /// Runs every client for <paramref name="duration"/>: committed transactions per second, and this process's CPU
    /// per transaction (on SQLite that includes the database's own work, which runs in this process).
    /// </summary>
    public async Task<RawSample> SampleAsync(TimeSpan duration)
    {
        var committed = 0L;
        var machineBefore = MachineCpu.Read();
        var watch = Stopwatch.StartNew();
        var workers = _clients.Select((db, client) => Task.Run(async () =>
        {
            var connection = db.Database.GetDbConnection();
            var random = new Random(client);
            while (watch.Elapsed < duration)
            {
                await OneTransactionAsync(connection, random.Next(1, Rows + 1));
                Interlocked.Increment(ref committed);
            }
        })).ToList();
        await Task.WhenAll(workers);
        var elapsed = watch.Elapsed;
        var machine = MachineCpu.Read() - machineBefore;
        double PerTransaction(TimeSpan time) => time.TotalMilliseconds / Math.Max(1, committed);
        return new RawSample(committed / elapsed.TotalSeconds, PerTransaction(machine.Driver), PerTransaction(machine.Database), PerTransaction(machine.Busy));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _clients)
        {
            await db.DisposeAsync();
        }
    }

    private async Task OneTransactionAsync(DbConnection connection, int rowId)
    {
        var now = DateTimeOffset.UtcNow;
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var update = Command(connection, transaction, "UPDATE raw_rows SET version = version + 1, updated_at = @at WHERE id = @id"))
        {
            Add(update, "@at", At(now));
            Add(update, "@id", rowId);
            if (await update.ExecuteNonQueryAsync() != 1)
            {
                throw new InvalidOperationException($"Row {rowId} is missing.");
            }
        }

        await using (var insert = Command(connection, transaction, "INSERT INTO raw_events (row_id, data, occurred_at) VALUES (@id, @data, @at)"))
        {
            Add(insert, "@id", rowId);
            Add(insert, "@data", Payload);
            Add(insert, "@at", At(now));
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private async Task CreateSchemaAsync()
    {
        var connection = _clients[0].Database.GetDbConnection();
        var sqlite = _persistence.Provider == DatabaseProvider.Sqlite;
        string[] ddl = sqlite
            ?
            [
                "CREATE TABLE IF NOT EXISTS raw_rows (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, updated_at TEXT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS raw_events (id INTEGER PRIMARY KEY AUTOINCREMENT, row_id INTEGER NOT NULL, data TEXT NOT NULL, occurred_at TEXT NOT NULL)",
            ]
            :
            [
                "CREATE TABLE IF NOT EXISTS raw_rows (id bigint PRIMARY KEY, version bigint NOT NULL, updated_at timestamptz NOT NULL)",
                "CREATE TABLE IF NOT EXISTS raw_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, row_id bigint NOT NULL, data text NOT NULL, occurred_at timestamptz NOT NULL)",
            ];
        foreach (var statement in ddl)
        {
            await using var command = Command(connection, null, statement);
            await command.ExecuteNonQueryAsync();
        }

        await using var transaction = await connection.BeginTransactionAsync();
        for (var id = 1; id <= Rows; id++)
        {
            await using var insert = Command(connection, transaction, "INSERT INTO raw_rows (id, version, updated_at) VALUES (@id, 1, @at)");
            Add(insert, "@id", id);
            Add(insert, "@at", At(DateTimeOffset.UtcNow));
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>SQLite stores times as text (as EF Core does); PostgreSQL takes them as timestamptz.</summary>
    private object At(DateTimeOffset now) => _persistence.Provider == DatabaseProvider.Sqlite ? now.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : now;

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>
/// One sample of the raw rate: transactions a second, and per transaction the CPU of this process (the clients, and on
/// SQLite the database's own work), of PostgreSQL's server, and of the whole machine.
/// </summary>
internal readonly record struct RawSample(double PerSecond, double ClientCpuMs, double DatabaseCpuMs, double MachineCpuMs);
