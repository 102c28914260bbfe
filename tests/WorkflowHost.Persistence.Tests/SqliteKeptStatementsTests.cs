using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WorkflowHost.Persistence.Tests.Support;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests;

/// <summary>
/// Statements kept prepared on a connection that stays open (decision 161), on a real SQLite file: SQLite itself is asked
/// which statements exist on the connection and how often each ran, so "prepared once" is SQLite's word, not ours.
/// </summary>
[Collection(SqlitePoolAlone.Name)]
public sealed class SqliteKeptStatementsTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();
    private readonly CommandTypes _commandTypes = new();

    public async ValueTask InitializeAsync()
    {
        await using var db = NewContext();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE Numbers (N INTEGER NOT NULL)", TestContext.Current.CancellationToken);
        _commandTypes.Seen.Clear();
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_statement_run_three_times_with_other_values_is_prepared_once_and_answers_each_time()
    {
        await using var db = await OpenKeptAsync();
        var kept = SqliteKeptStatements.On(db.Database.GetDbConnection())!;

        long[] answers = [await PlusOneAsync(db, 1), await PlusOneAsync(db, 10), await PlusOneAsync(db, 100)];

        Assert.Equal([2L, 11L, 101L], answers);

        Assert.Equal(1, kept.Prepared);
        Assert.Equal(2, kept.Reused);
        var sql = Assert.Single(kept.KeptSql);
        Assert.Equal(3, RunsOf(db, sql));
        // A test's own interceptor still sees each execution, on the kept command.
        Assert.Equal([typeof(SqliteKeptCommand), typeof(SqliteKeptCommand), typeof(SqliteKeptCommand)], _commandTypes.Seen);
    }

    [Fact]
    public void The_hosts_SQLite_contexts_register_no_command_interceptor()
    {
        var builder = _database.ContextOptions();

        var interceptors = builder.Options.FindExtension<CoreOptionsExtension>()?.Interceptors ?? [];

        // Any command interceptor makes EF Core build its event objects for every command (decision 172).
        Assert.NotEmpty(interceptors);
        Assert.DoesNotContain(interceptors, interceptor => interceptor is IDbCommandInterceptor);
    }

    [Fact]
    public async Task Without_any_command_interceptor_a_kept_connection_still_runs_each_statement_prepared_once()
    {
        await using var db = NewContext(withTestInterceptor: false);
        await OpenTrackedAsync(db);
        var kept = SqliteKeptStatements.Keep((SqliteConnection)db.Database.GetDbConnection());

        long[] answers = [await PlusOneAsync(db, 1), await PlusOneAsync(db, 10), await PlusOneAsync(db, 100)];

        Assert.Equal([2L, 11L, 101L], answers);
        Assert.Equal(1, kept.Prepared);
        Assert.Equal(2, kept.Reused);
        Assert.Equal(3, RunsOf(db, Assert.Single(kept.KeptSql)));
    }

    [Fact]
    public async Task Savepoints_on_a_kept_connection_run_as_ordinary_commands_and_keep_nothing()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var db = await OpenKeptAsync();
        var kept = SqliteKeptStatements.On(db.Database.GetDbConnection())!;

        // EF Core creates a savepoint's command itself and sets its transaction before its SQL, as the group writer's
        // steps do (decision 161); the names vary with the step's place in its group.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellation))
        {
            for (var step = 0; step < 3; step++)
            {
                await transaction.CreateSavepointAsync("step" + step, cancellation);
                await InsertAsync(db, step);
                if (step == 1)
                {
                    await transaction.RollbackToSavepointAsync("step" + step, cancellation);
                }

                await transaction.ReleaseSavepointAsync("step" + step, cancellation);
            }

            await transaction.CommitAsync(cancellation);
        }

        Assert.Equal(2, await CountAsync(db));
        Assert.DoesNotContain(kept.KeptSql, sql => sql.Contains("SAVEPOINT", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Statements(db), statement => statement.Sql.Contains("SAVEPOINT", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3, RunsOf(db, Assert.Single(kept.KeptSql, sql => sql.StartsWith("INSERT", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_connection_the_host_did_not_create_is_refused_rather_than_silently_keeping_nothing()
    {
        using var connection = new SqliteConnection(_database.ConnectionString);

        Assert.Throws<InvalidOperationException>(() => SqliteKeptStatements.Keep(connection));
    }

    [Fact]
    public async Task A_connection_that_is_not_kept_gets_Microsoft_Data_Sqlites_own_commands_and_keeps_nothing()
    {
        await using var db = NewContext();
        await OpenTrackedAsync(db);

        Assert.Equal(2, await PlusOneAsync(db, 1));
        Assert.Equal(3, await PlusOneAsync(db, 2));

        Assert.Null(SqliteKeptStatements.On(db.Database.GetDbConnection()));
        Assert.Equal([typeof(SqliteCommand), typeof(SqliteCommand)], _commandTypes.Seen);
        Assert.Empty(Statements(db)); // each command's statement was finalized when EF Core disposed it
    }

    [Fact]
    public async Task A_kept_statement_runs_inside_a_transaction_and_after_it_and_a_rolled_back_write_is_gone()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var db = await OpenKeptAsync();

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellation))
        {
            await InsertAsync(db, 7);
            Assert.Equal(1, await CountAsync(db));
            await transaction.RollbackAsync(cancellation);
        }

        // The same statements, now outside any transaction: a command still tied to the old one would be refused.
        Assert.Equal(0, await CountAsync(db));
        await InsertAsync(db, 8);
        Assert.Equal(1, await CountAsync(db));
        var kept = SqliteKeptStatements.On(db.Database.GetDbConnection())!;
        Assert.Equal(2, kept.Prepared);
        Assert.Equal(3, kept.Reused);
    }

    [Fact]
    public async Task The_same_SQL_while_its_reader_is_open_runs_on_a_second_command_and_only_one_is_kept()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var db = await OpenKeptAsync();
        await InsertAsync(db, 1);
        await InsertAsync(db, 2);
        var kept = SqliteKeptStatements.On(db.Database.GetDbConnection())!;

        var outer = new List<long>();
        await foreach (var n in db.Database.SqlQueryRaw<long>("SELECT N AS \"Value\" FROM Numbers ORDER BY N").AsAsyncEnumerable().WithCancellation(cancellation))
        {
            outer.Add(n);
            outer.AddRange(await db.Database.SqlQueryRaw<long>("SELECT N AS \"Value\" FROM Numbers ORDER BY N").ToListAsync(cancellation));
        }

        Assert.Equal([1, 1, 2, 2, 1, 2], outer);
        Assert.Single(kept.KeptSql, sql => sql.Contains("ORDER BY N", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_the_connection_closes_and_opens_again_its_kept_statements_are_prepared_again_and_answer()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var db = await OpenKeptAsync();
        Assert.Equal(2, await PlusOneAsync(db, 1));

        await db.Database.CloseConnectionAsync();
        await OpenTrackedAsync(db);

        Assert.Equal(6, await PlusOneAsync(db, 5));
        Assert.Equal(1, RunsOf(db, Assert.Single(SqliteKeptStatements.On(db.Database.GetDbConnection())!.KeptSql)));
    }

    [Fact]
    public async Task At_most_MaxKept_distinct_statements_are_kept_and_the_rest_still_answer()
    {
        await using var db = await OpenKeptAsync();
        var kept = SqliteKeptStatements.On(db.Database.GetDbConnection())!;

        for (var i = 0; i < SqliteKeptStatements.MaxKept + 6; i++)
        {
            var distinct = "SELECT " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + " AS \"Value\"";
            Assert.Equal(i, await db.Database.SqlQueryRaw<long>(distinct).SingleAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(SqliteKeptStatements.MaxKept, kept.KeptSql.Count);
        Assert.Equal(SqliteKeptStatements.MaxKept, Statements(db).Count);
    }

    [Fact]
    public async Task Ending_the_registration_finalizes_the_kept_statements_and_commands_are_ordinary_again()
    {
        await using var db = await OpenKeptAsync();
        var kept = SqliteKeptStatements.On(db.Database.GetDbConnection())!;
        Assert.Equal(2, await PlusOneAsync(db, 1));
        Assert.NotEmpty(Statements(db));

        kept.Dispose();

        Assert.Empty(Statements(db));
        Assert.Null(SqliteKeptStatements.On(db.Database.GetDbConnection()));
        Assert.Equal(3, await PlusOneAsync(db, 2));
        Assert.Equal(typeof(SqliteCommand), _commandTypes.Seen[^1]);
    }

    private async Task<WorkflowDbContext> OpenKeptAsync()
    {
        var db = NewContext();
        await OpenTrackedAsync(db);
        SqliteKeptStatements.Keep((SqliteConnection)db.Database.GetDbConnection());
        return db;
    }

    /// <summary>Opens the connection and lets the test ask SQLite for the statements prepared on it from now on.</summary>
    private static async Task OpenTrackedAsync(WorkflowDbContext db)
    {
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        SqliteStatementProbe.Track((SqliteConnection)db.Database.GetDbConnection());
    }

    private WorkflowDbContext NewContext(bool withTestInterceptor = true)
    {
        var builder = _database.ContextOptions();
        if (withTestInterceptor)
        {
            builder.AddInterceptors(_commandTypes);
        }

        return new WorkflowDbContext(builder.Options);
    }

    private static Task<long> PlusOneAsync(WorkflowDbContext db, long n) =>
        db.Database.SqlQuery<long>($"SELECT {n} + 1 AS \"Value\"").SingleAsync(TestContext.Current.CancellationToken);

    private static Task<int> InsertAsync(WorkflowDbContext db, long n) =>
        db.Database.ExecuteSqlAsync($"INSERT INTO Numbers (N) VALUES ({n})", TestContext.Current.CancellationToken);

    private static Task<long> CountAsync(WorkflowDbContext db) =>
        db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM Numbers").SingleAsync(TestContext.Current.CancellationToken);

    /// <summary>The statements SQLite holds prepared on the context's connection.</summary>
    private static List<(string Sql, int Runs)> Statements(WorkflowDbContext db) => SqliteStatementProbe.Statements((SqliteConnection)db.Database.GetDbConnection());

    /// <summary>How many times SQLite ran the prepared statement of this SQL on the context's connection.</summary>
    private static int RunsOf(WorkflowDbContext db, string sql) => SqliteStatementProbe.RunsOf((SqliteConnection)db.Database.GetDbConnection(), sql);

    /// <summary>The type of every command EF Core executed.</summary>
    private sealed class CommandTypes : DbCommandInterceptor
    {
        public List<Type> Seen { get; } = [];

        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            Seen.Add(result.GetType());
            return result;
        }
    }
}
