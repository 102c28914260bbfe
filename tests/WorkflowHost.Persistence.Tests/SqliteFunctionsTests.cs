using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Tests.Support;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests;

/// <summary>
/// EF Core's SQLite functions are registered once per native connection, not on every open (issue 18): a connection
/// from the pool still has them, and they answer as EF Core's own do (a context configured by EF Core alone, on the same
/// file, is the reference), including their nulls, their refusals and their aggregates.
/// </summary>
[Collection(SqlitePoolAlone.Name)]
public sealed class SqliteFunctionsTests : IAsyncLifetime
{
    /// <summary>Each query is answered by EF Core's own functions and by ours; the two must agree.</summary>
    private static readonly string[] Queries =
    [
        "SELECT regexp('^a.c$', 'abc'), regexp('^a.c$', 'abd'), regexp(NULL, 'abc'), regexp('x', NULL)",
        "SELECT 'abc' REGEXP '^a', 'abc' REGEXP '^b'",
        "SELECT ef_add('1.5', '2.25'), ef_add(NULL, '1'), ef_add(3, '0.1')",
        "SELECT ef_multiply('1.5', '-2'), ef_multiply('0.1', NULL)",
        "SELECT ef_divide('1', '3'), ef_divide('1', '0'), ef_divide(NULL, '2')",
        "SELECT ef_mod('7.5', '2'), ef_mod('7', '0'), ef_mod('7', NULL)",
        "SELECT ef_compare('1.10', '1.1'), ef_compare('2', '10'), ef_compare('10', '2'), ef_compare(NULL, '1')",
        "SELECT ef_negate('1.25'), ef_negate(NULL), ef_negate('0')",
        "SELECT ef_avg(v), ef_max(v), ef_min(v), ef_sum(v) FROM (SELECT '1.5' AS v UNION ALL SELECT '10' UNION ALL SELECT NULL UNION ALL SELECT '-2.25')",
        "SELECT ef_avg(v), ef_max(v), ef_min(v), ef_sum(v) FROM (SELECT NULL AS v)",
        "SELECT ef_avg(v), ef_sum(v) FROM (SELECT '1' AS v WHERE 0)",
        "SELECT group_concat(v, ',') FROM (SELECT v FROM (SELECT '10' AS v UNION ALL SELECT '9.5' UNION ALL SELECT '-1' UNION ALL SELECT '2') ORDER BY v COLLATE EF_DECIMAL)",
        "SELECT ef_add('79228162514264337593543950335', '1')",
        "SELECT ef_sum(v) FROM (SELECT '79228162514264337593543950335' AS v UNION ALL SELECT '1')",
        "SELECT ef_add('not a number', '1')",
    ];

    private readonly SqliteTestDatabase _database = new();

    public async ValueTask InitializeAsync()
    {
        // The file exists before either kind of context opens it.
        await using var db = _database.NewContext();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_functions_answer_as_EF_Cores_own_on_a_new_and_on_a_pooled_connection()
    {
        List<List<string>> expected;
        await using (var reference = ReferenceContext())
        {
            expected = await AnswersAsync(reference);
        }

        Assert.Equal(["Int64:1", "Int64:0", "null", "null"], expected[0]); // the reference has the functions at all

        object first, second;
        await using (var db = _database.NewContext())
        {
            first = await HandleAsync(db);
            Assert.Equal(expected, await AnswersAsync(db));
        }

        await using (var db = _database.NewContext())
        {
            second = await HandleAsync(db);
            Assert.Equal(expected, await AnswersAsync(db));
        }

        // The second context reused the first one's native connection, which EF Core would have set up again.
        Assert.Same(first, second);
    }

    [Fact]
    public async Task A_context_connection_carries_no_registrations_of_its_own()
    {
        // Microsoft.Data.Sqlite would register a connection's own functions at every open and remove them at every close.
        await using var db = _database.NewContext();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var registered = typeof(SqliteConnection).GetField("_functions", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        Assert.NotNull(registered);
        Assert.Null(registered.GetValue(connection));
        await using var reference = ReferenceContext();
        Assert.NotNull(registered.GetValue(reference.Database.GetDbConnection()));
    }

    /// <summary>EF Core's provider on its own, without the host's interceptors, and outside the host's pool.</summary>
    private WorkflowDbContext ReferenceContext() => new(new DbContextOptionsBuilder<WorkflowDbContext>()
        .UseSqlite(new SqliteConnectionStringBuilder { DataSource = _database.FilePath, Pooling = false }.ToString()).Options);

    private static async Task<object> HandleAsync(WorkflowDbContext db)
    {
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        return ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
    }

    /// <summary>Each query's row as text, or the error it raised.</summary>
    private static async Task<List<List<string>>> AnswersAsync(WorkflowDbContext db)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await db.Database.OpenConnectionAsync(cancellation);
        var answers = new List<List<string>>();
        foreach (var sql in Queries)
        {
            answers.Add(await AnswerAsync(db.Database.GetDbConnection(), sql, cancellation));
        }

        return answers;
    }

    private static async Task<List<string>> AnswerAsync(DbConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            Assert.True(await reader.ReadAsync(cancellation));
            return [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : $"{reader.GetFieldType(i).Name}:{reader.GetValue(i)}")];
        }
        catch (SqliteException e)
        {
            return ["error " + e.SqliteErrorCode + ": " + e.Message];
        }
    }
}
