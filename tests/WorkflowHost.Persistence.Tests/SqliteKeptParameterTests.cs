using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Tests.Support;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests;

/// <summary>
/// A kept connection's parameters are taken back from each disposed command and handed out again (docs/benchmarks.md
/// section 21a): one handed out again must be indistinguishable from a new one, and one that Microsoft.Data.Sqlite would
/// still bind differently (a size or a type was set) must never come back.
/// </summary>
[Collection(SqlitePoolAlone.Name)]
public sealed class SqliteKeptParameterTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();

    public async ValueTask InitializeAsync()
    {
        await using var plain = _database.OpenConnection();
        using var create = plain.CreateCommand();
        // No declared types: SQLite keeps each value as it was bound, so typeof() shows the binding itself.
        create.CommandText = "CREATE TABLE Kept (Id INTEGER NOT NULL, A, B); CREATE TABLE Plain (Id INTEGER NOT NULL, A, B);";
        create.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_parameter_given_back_is_handed_out_again_as_a_new_one_answers()
    {
        await using var db = await _database.OpenKeptAsync();
        var connection = db.Database.GetDbConnection();
        var kept = SqliteKeptStatements.On(connection)!;
        var used = new List<DbParameter>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO Kept (Id, A, B) VALUES (1, @a, @b)";
            foreach (var (name, value) in new[] { ("@a", (object)"text"), ("@b", 42L) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                parameter.DbType = DbType.Int64;
                parameter.IsNullable = true;
                parameter.SourceColumn = "A";
                parameter.SourceColumnNullMapping = true;
                command.Parameters.Add(parameter);
                used.Add(parameter);
            }

            Assert.Equal(1, command.ExecuteNonQuery());
        }

        using var next = connection.CreateCommand();
        var again = next.CreateParameter();

        Assert.Contains(used, parameter => ReferenceEquals(parameter, again));
        Assert.Equal(1, kept.ParametersReused);
        Assert.Equal(Described(new SqliteParameter()), Described(again));
    }

    [Fact]
    public async Task A_parameter_whose_size_or_type_was_set_is_never_handed_out_again()
    {
        await using var db = await _database.OpenKeptAsync();
        var connection = db.Database.GetDbConnection();
        DbParameter sized, typed;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO Kept (Id, A, B) VALUES (1, @a, @b)";
            sized = Add(command, "@a", "abcdef");
            sized.Size = 2;
            typed = Add(command, "@b", "12");
            ((SqliteParameter)typed).SqliteType = SqliteType.Integer;
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        // The same command again with new values and no size or type: a parameter that kept its size would truncate.
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO Kept (Id, A, B) VALUES (2, @a, @b)";
            var a = Add(command, "@a", "abcdef");
            var b = Add(command, "@b", "12");
            Assert.False(ReferenceEquals(a, sized) || ReferenceEquals(a, typed) || ReferenceEquals(b, sized) || ReferenceEquals(b, typed));
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var rows = Rows(connection, "Kept");
        Assert.StartsWith("1|'ab'|text|", rows[0]);
        Assert.Equal("2|'abcdef'|text|'12'|text", rows[1]);
    }

    /// <summary>
    /// EF Core's own parameters (an interpolated statement, each value through its type mapping) over many executions of
    /// values of every kind and null, against the same statements on a connection of Microsoft.Data.Sqlite's own.
    /// </summary>
    [Fact]
    public async Task Values_written_through_handed_out_parameters_are_each_execution_s_own()
    {
        await using var db = await _database.OpenKeptAsync();
        var kept = SqliteKeptStatements.On(db.Database.GetDbConnection())!;
        await using var plain = _database.OpenConnection();
        var random = new Random(21);
        var cancellation = TestContext.Current.CancellationToken;
        for (var id = 0; id < 300; id++)
        {
            var (a, b) = (Next(random), Next(random));
            await db.Database.ExecuteSqlAsync($"INSERT INTO Kept (Id, A, B) VALUES ({id}, {a}, {b})", cancellation);
            using var command = plain.CreateCommand();
            command.CommandText = "INSERT INTO Plain (Id, A, B) VALUES (@id, @a, @b)";
            command.Parameters.Add(new SqliteParameter("@id", id));
            command.Parameters.Add(new SqliteParameter("@a", a ?? DBNull.Value));
            command.Parameters.Add(new SqliteParameter("@b", b ?? DBNull.Value));
            command.ExecuteNonQuery();
        }

        Assert.Equal(Rows(plain, "Plain"), Rows(plain, "Kept"));
        Assert.True(kept.ParametersReused > 500, $"{kept.ParametersReused} parameters handed out again");
    }

    private static object? Next(Random random) => random.Next(7) switch
    {
        0 => null,
        1 => random.NextInt64(),
        2 => "text " + random.Next(),
        3 => random.NextDouble(),
        4 => Guid.NewGuid(),
        5 => new byte[] { (byte)random.Next(256), 0, 7 },
        _ => random.Next(2) == 0,
    };

    private static DbParameter Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static string Described(DbParameter p) =>
        string.Join("|", p.ParameterName, p.Value ?? "(null)", p.DbType, p.IsNullable, p.SourceColumn, p.SourceColumnNullMapping, p.SourceVersion, p.Size,
            ((SqliteParameter)p).SqliteType, p.Direction, p.Precision, p.Scale);

    private static List<string> Rows(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Id, quote(A), typeof(A), quote(B), typeof(B) FROM {table} ORDER BY Id";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString())));
        }

        return rows;
    }

}
