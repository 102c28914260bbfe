using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;
using WorkflowHost.Persistence.Tests.Support;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests;

/// <summary>
/// A kept command's writes on SQLite's own statements (decision 176), against Microsoft.Data.Sqlite itself on the same
/// real file: every value, count and error the direct path gives must be the one Microsoft.Data.Sqlite gives for the same
/// command, and the tests check that the direct path ran (<see cref="SqliteKeptStatements.KeptOnConnection.WrittenDirectly"/>),
/// so that a change sending everything back to Microsoft.Data.Sqlite does not pass them by agreeing with itself.
/// </summary>
[Collection(SqlitePoolAlone.Name)]
public sealed class SqliteKeptWriteTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();
    private readonly NonQueries _nonQueries = new();

    public async ValueTask InitializeAsync()
    {
        await using var plain = _database.OpenConnection();
        // No declared types: SQLite stores each value as it was bound, so typeof() shows the binding itself.
        Run(plain, """
            CREATE TABLE Direct (Id INTEGER NOT NULL, A, B, C);
            CREATE TABLE Plain (Id INTEGER NOT NULL, A, B, C);
            CREATE TABLE ItemsDirect (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL UNIQUE);
            CREATE TABLE ItemsPlain (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL UNIQUE);
            """);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Every_kind_of_value_is_stored_exactly_as_Microsoft_Data_Sqlite_stores_it()
    {
        await using var db = await _database.OpenKeptAsync(trackStatements: true, _nonQueries);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var kept = SqliteKeptStatements.On(connection)!;
        using var plain = _database.OpenConnection();
        var random = new Random(176);
        var direct = 0;
        var outcomes = new List<(string Direct, string Plain)>();
        for (var id = 0; id < 600; id++)
        {
            Value[] values = [Next(random), Next(random), Next(random)];
            // Three spellings of a parameter's name: as in the SQL, without its prefix, with another prefix.
            outcomes.Add((
                Outcome(() => Insert(connection, "Direct", id, values)),
                Outcome(() => Insert(plain, "Plain", id, values))));
            if (values.All(value => value.Direct))
            {
                direct++;
            }
        }

        Assert.All(outcomes, outcome => Assert.Equal(outcome.Plain, outcome.Direct));
        Assert.Equal(Rows(plain, "Plain"), Rows(plain, "Direct"));
        Assert.True(direct > 100, $"{direct} rows of handled values only");
        Assert.Equal(direct, kept.WrittenDirectly);
    }

    [Fact]
    public async Task A_command_of_several_statements_reports_the_rows_Microsoft_Data_Sqlite_reports()
    {
        await using var db = await _database.OpenKeptAsync(trackStatements: true, _nonQueries);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var kept = SqliteKeptStatements.On(connection)!;
        using var plain = _database.OpenConnection();
        foreach (var table in new[] { "Direct", "Plain" })
        {
            Run(plain, $"INSERT INTO {table} (Id, A) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')");
        }

        string[] commands =
        [
            "UPDATE {0} SET A = @a WHERE Id < @n; DELETE FROM {0} WHERE Id = @n; INSERT INTO {0} (Id, A) VALUES (@n + 10, @a)",
            "UPDATE {0} SET B = @a WHERE Id = -@n",
            // A statement that changes no row still reports the last change SQLite counted, as Microsoft.Data.Sqlite adds it.
            "INSERT INTO {0} (Id, A) VALUES (@n + 20, @a); CREATE TABLE IF NOT EXISTS Other{0} (X); UPDATE {0} SET C = @n WHERE Id > @n",
            "  /* nothing but */ UPDATE {0} SET C = @a WHERE Id = @n; -- and a comment\n",
        ];
        var counts = new List<(int Direct, int Plain)>();
        foreach (var sql in commands)
        {
            for (var n = 1; n <= 3; n++)
            {
                counts.Add((
                    Execute(connection, string.Format(CultureInfo.InvariantCulture, sql, "Direct"), ("@a", "x" + n), ("@n", n)),
                    Execute(plain, string.Format(CultureInfo.InvariantCulture, sql, "Plain"), ("@a", "x" + n), ("@n", n))));
            }
        }

        Assert.All(counts, count => Assert.Equal(count.Plain, count.Direct));
        Assert.Equal(0 + 1 + 1, counts[0].Direct); // no row below 1 updated, row 1 deleted, row 11 inserted
        Assert.Equal(Rows(plain, "Plain"), Rows(plain, "Direct"));
        Assert.Equal(commands.Length * 3, kept.WrittenDirectly);
    }

    [Fact]
    public async Task A_constraint_violation_is_Microsoft_Data_Sqlites_exception_and_the_statements_run_again_afterwards()
    {
        await using var db = await _database.OpenKeptAsync(trackStatements: true, _nonQueries);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var kept = SqliteKeptStatements.On(connection)!;
        using var plain = _database.OpenConnection();
        const string Two = "INSERT INTO {0} (Name) VALUES (@first); INSERT INTO {0} (Name) VALUES (@second)";
        var failures = new List<(SqliteException Direct, SqliteException Plain)>();
        foreach (var (first, second) in new[] { ("one", "two"), ("three", "one"), ("three", "four"), ("five", "five") })
        {
            var direct = Record.Exception(() => Execute(connection, string.Format(CultureInfo.InvariantCulture, Two, "ItemsDirect"), ("@first", first), ("@second", second)));
            var plainFailure = Record.Exception(() => Execute(plain, string.Format(CultureInfo.InvariantCulture, Two, "ItemsPlain"), ("@first", first), ("@second", second)));
            Assert.Equal(plainFailure?.GetType(), direct?.GetType());
            if (direct is SqliteException d)
            {
                failures.Add((d, (SqliteException)plainFailure!));
            }
        }

        Assert.Equal(3, failures.Count);
        Assert.All(failures, failure =>
        {
            Assert.Equal(failure.Plain.SqliteErrorCode, failure.Direct.SqliteErrorCode);
            Assert.Equal(failure.Plain.SqliteExtendedErrorCode, failure.Direct.SqliteExtendedErrorCode);
            Assert.Equal(failure.Plain.Message.Replace("ItemsPlain", "ItemsDirect", StringComparison.Ordinal), failure.Direct.Message);
            Assert.Equal(raw.SQLITE_CONSTRAINT, failure.Direct.SqliteErrorCode);
        });
        Assert.Equal(Rows(plain, "ItemsPlain", "Name"), Rows(plain, "ItemsDirect", "Name"));
        // Each failure left the statements reset and unbound: the next execution of the same command ran and was direct.
        Assert.Equal(4, kept.WrittenDirectly + failures.Count);
        Assert.Equal(1, Execute(connection, "INSERT INTO ItemsDirect (Name) VALUES (@first)", ("@first", "six")));
        Assert.Equal(2, kept.WrittenDirectly);
    }

    [Fact]
    public async Task A_busy_database_is_waited_for_within_the_commands_timeout_and_reported_as_Microsoft_Data_Sqlite_reports_it()
    {
        await using var db = await _database.OpenKeptAsync(trackStatements: true, _nonQueries);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var kept = SqliteKeptStatements.On(connection)!;
        using var plain = _database.OpenConnection();
        using var blocker = _database.OpenConnection();
        // SQLite's own wait off, so each path waits as Microsoft.Data.Sqlite does: retries within the command's timeout.
        Run(connection, "PRAGMA busy_timeout = 0");
        Run(plain, "PRAGMA busy_timeout = 0");
        Assert.Equal(1, Execute(connection, "INSERT INTO Direct (Id, A) VALUES (@n, 'free')", ("@n", 1)));
        Run(blocker, "BEGIN IMMEDIATE");

        var started = TimeProvider.System.GetTimestamp();
        var direct = Assert.Throws<SqliteException>(() => Execute(connection, "INSERT INTO Direct (Id, A) VALUES (@n, 'free')", timeout: 1, ("@n", 2)));
        var waited = TimeProvider.System.GetElapsedTime(started);
        var plainBusy = Assert.Throws<SqliteException>(() => Execute(plain, "INSERT INTO Plain (Id, A) VALUES (@n, 'free')", timeout: 1, ("@n", 2)));
        Run(blocker, "ROLLBACK");

        Assert.Equal(raw.SQLITE_BUSY, direct.SqliteErrorCode);
        Assert.Equal(plainBusy.SqliteErrorCode, direct.SqliteErrorCode);
        Assert.Equal(plainBusy.SqliteExtendedErrorCode, direct.SqliteExtendedErrorCode);
        Assert.Equal(plainBusy.Message, direct.Message);
        Assert.Equal(typeof(SqliteKeptCommand), KeptCommandType(connection));
        Assert.True(waited >= TimeSpan.FromSeconds(0.9), $"waited {waited}");
        // Once the lock is gone the same statement runs, direct.
        Assert.Equal(1, Execute(connection, "INSERT INTO Direct (Id, A) VALUES (@n, 'free')", ("@n", 3)));
        Assert.Equal(2, kept.WrittenDirectly);
    }

    [Fact]
    public async Task The_writes_statements_are_finalized_when_the_registration_ends_and_when_the_connection_closes()
    {
        await using var db = await _database.OpenKeptAsync(trackStatements: true, _nonQueries);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var kept = SqliteKeptStatements.On(connection)!;
        Assert.Equal(2, Execute(connection, "INSERT INTO Direct (Id) VALUES (@n); UPDATE Direct SET A = @n WHERE Id = @n", ("@n", 1)));
        Assert.Equal(2, kept.WriteStatements);
        Assert.Equal(2, SqliteStatementProbe.Statements(connection).Count(s => s.Sql.Contains("Direct", StringComparison.Ordinal)));

        // The connection closes (back to the pool, its native connection still open): nothing of ours stays on it.
        var handle = connection.Handle!;
        await db.Database.CloseConnectionAsync();
        Assert.Null(raw.sqlite3_next_stmt(handle, null));
        Assert.Equal(0, kept.WriteStatements);

        // Open again: prepared again on first use, and the registration's end finalizes them too.
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        SqliteStatementProbe.Track(connection);
        Assert.Equal(2, Execute(connection, "INSERT INTO Direct (Id) VALUES (@n); UPDATE Direct SET A = @n WHERE Id = @n", ("@n", 2)));
        Assert.Equal(2, kept.WriteStatements);
        Assert.Equal(2, kept.WrittenDirectly);
        kept.Dispose();
        Assert.Empty(SqliteStatementProbe.Statements(connection));
    }

    [Fact]
    public async Task EF_Cores_interceptors_see_every_write_that_runs_on_the_kept_statements()
    {
        await using var db = await _database.OpenKeptAsync(trackStatements: true, _nonQueries);
        var kept = SqliteKeptStatements.On(db.Database.GetDbConnection())!;

        for (var n = 0; n < 3; n++)
        {
            Assert.Equal(1, await db.Database.ExecuteSqlAsync($"INSERT INTO Direct (Id, A, B) VALUES ({n}, {"café " + n}, {new byte[] { 1, 2, (byte)n }})", TestContext.Current.CancellationToken));
        }

        Assert.Equal(3, kept.WrittenDirectly);
        Assert.Equal([1, 1, 1], _nonQueries.Executed);
        using var plain = _database.OpenConnection();
        Assert.Equal(["0|text:café 0|blob:010200", "1|text:café 1|blob:010201", "2|text:café 2|blob:010202"], Rows(plain, "Direct", "Id, A, B"));
    }

    // --- values -------------------------------------------------------------------------------------------------------

    /// <summary>A value, what its parameter says of it, and whether the direct path binds it (else Microsoft.Data.Sqlite).</summary>
    private sealed record Value(object Raw, int? Size = null, SqliteType? Type = null, bool Direct = true);

    private static Value Next(Random random) => random.Next(34) switch
    {
        0 => new(DBNull.Value),
        1 => new(""),
        2 => new(Ascii(random, random.Next(1, 40))),
        3 => new("Zhào 赵 Ñandú 🎉 " + Ascii(random, random.Next(5))),
        4 => new(Mixed(random, random.Next(50_000, 150_000))),
        5 => new("lone \uD800 surrogate"),
        6 => new(random.NextInt64(long.MinValue, long.MaxValue)),
        7 => new(random.Next(3) switch { 0 => long.MinValue, 1 => long.MaxValue, _ => 0L }),
        8 => new(random.Next(int.MinValue, int.MaxValue)),
        9 => new(random.Next(2) == 0),
        10 => new(random.NextDouble() * Math.Pow(10, random.Next(-300, 300)) * (random.Next(2) == 0 ? -1 : 1)),
        11 => new(random.Next(4) switch { 0 => double.PositiveInfinity, 1 => double.NegativeInfinity, 2 => -0.0, _ => double.Epsilon }),
        12 => new(Bytes(random, random.Next(1, 64))),
        13 => new(Array.Empty<byte>()),
        14 => new((short)random.Next(short.MinValue, short.MaxValue)),
        15 => new((byte)random.Next(256)),
        16 => new((float)random.NextDouble()),
        17 => new((ulong)random.NextInt64() + (ulong)long.MaxValue),
        18 => new((uint)random.NextInt64(uint.MaxValue)),
        19 => new((sbyte)random.Next(-128, 127)),
        20 => new((ushort)random.Next(ushort.MaxValue)),
        // A size the value fits in is no truncation; a shorter one truncates, which Microsoft.Data.Sqlite does.
        21 => new("sized text", Size: 20),
        22 => new("truncated text", Size: 4, Direct: false),
        23 => new(new byte[] { 1, 2, 3, 4, 5 }, Size: 2, Direct: false),
        // What the direct path leaves to Microsoft.Data.Sqlite: its own conversions.
        24 => new(Guid.NewGuid()),
        25 => new(Guid.NewGuid(), Type: SqliteType.Blob, Direct: false),
        26 => new(new DateTimeOffset(2026, 12, 6, 11, 54, 55, 123, TimeSpan.FromHours(random.Next(-12, 14))).AddTicks(random.Next(10_000) * (random.Next(2) == 0 ? 1 : 0))),
        27 => new(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), Type: random.Next(2) == 0 ? SqliteType.Real : null, Direct: false),
        28 => new(random.Next() / 7m, Direct: false),
        29 => new(TimeSpan.FromMinutes(random.Next(10_000)), Direct: false),
        30 => new('ж', Direct: false),
        31 => new(DayOfWeek.Friday, Direct: false),
        32 => new(double.NaN, Direct: false), // Microsoft.Data.Sqlite refuses it
        // A type named on a value the direct path binds: stored as Microsoft.Data.Sqlite stores it all the same.
        _ => random.Next(3) switch
        {
            0 => new(random.NextInt64(), Type: SqliteType.Text),
            1 => new("typed as blob", Type: SqliteType.Blob),
            _ => new(1.5, Type: SqliteType.Integer),
        },
    };

    private static string Ascii(Random random, int length) => string.Create(length, random, (span, r) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)r.Next(32, 127);
        }
    });

    private static string Mixed(Random random, int length)
    {
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            text.Append(random.Next(3) switch { 0 => "é", 1 => "語", _ => Ascii(random, 8) });
        }

        return text.ToString();
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    // --- running ------------------------------------------------------------------------------------------------------

    private static void Insert(SqliteConnection connection, string table, int id, Value[] values)
    {
        // As EF Core creates its commands: DbConnection.CreateCommand, the kept command on a kept connection.
        using var command = ((DbConnection)connection).CreateCommand();
        command.CommandText = $"INSERT INTO {table} (Id, A, B, C) VALUES (@id, @a, @b, $c)";
        command.Parameters.Add(new SqliteParameter("@id", id));
        string[] names = ["@a", "b", "$c"];
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = new SqliteParameter(names[i], values[i].Raw);
            if (values[i].Size is { } size)
            {
                parameter.Size = size;
            }

            if (values[i].Type is { } type)
            {
                parameter.SqliteType = type;
            }

            command.Parameters.Add(parameter);
        }

        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private static string Outcome(Action action)
    {
        try
        {
            action();
            return "ok";
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters) =>
        Execute(connection, sql, timeout: 30, parameters);

    private static int Execute(SqliteConnection connection, string sql, int timeout, params (string Name, object Value)[] parameters)
    {
        using var command = ((DbConnection)connection).CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = timeout;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, value));
        }

        return command.ExecuteNonQuery();
    }

    private static Type KeptCommandType(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        return command.GetType();
    }

    private static void Run(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Each row, each column as its storage class and exact value (a real by its bits, a blob in hex).</summary>
    private static List<string> Rows(SqliteConnection connection, string table, string columns = "Id, A, B, C")
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {columns} FROM {table} ORDER BY 1";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.GetValue(i) switch
                {
                    DBNull => "null",
                    long n when i == 0 => n.ToString(CultureInfo.InvariantCulture),
                    long n => "integer:" + n.ToString(CultureInfo.InvariantCulture),
                    double d => "real:" + BitConverter.DoubleToInt64Bits(d).ToString("x16", CultureInfo.InvariantCulture),
                    string s => "text:" + s,
                    byte[] b => "blob:" + Convert.ToHexString(b),
                    var other => "?" + other,
                };
            }

            rows.Add(string.Join('|', cells));
        }

        return rows;
    }

    /// <summary>What EF Core's interceptors saw of each non-query: its rows affected.</summary>
    private sealed class NonQueries : DbCommandInterceptor
    {
        public List<int> Executed { get; } = [];

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Executed.Add(result);
            return ValueTask.FromResult(result);
        }
    }
}
