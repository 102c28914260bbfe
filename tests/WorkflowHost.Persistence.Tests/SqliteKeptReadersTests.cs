using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowHost.Persistence.Tests.Support;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests;

/// <summary>
/// The kept readers (decision 162) on a real SQLite file: a read on one sees every commit made before it through another
/// connection, an idle one holds no snapshot, a failed or closed one is replaced, reads beyond the bound all answer on
/// connections of their own, and disposal closes them. SQLite itself is asked what is prepared and how often it ran.
/// </summary>
[Collection(SqlitePoolAlone.Name)]
public sealed class SqliteKeptReadersTests : IAsyncLifetime
{
    private const string CountSql = "SELECT COUNT(*) AS \"Value\" FROM Numbers WHERE N > {0}";

    private readonly SqliteTestDatabase _database = new();
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private PooledDbContextFactory<WorkflowDbContext> _contexts = null!;

    public async ValueTask InitializeAsync()
    {
        _contexts = new PooledDbContextFactory<WorkflowDbContext>(_database.ContextOptions().Options);
        await using var db = await _contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE Numbers (N INTEGER NOT NULL)", TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _meters.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Twenty_reads_in_turn_run_on_one_reader_whose_statement_SQLite_prepared_once()
    {
        await using var readers = NewReaders(bound: 2);
        var connection = await SqliteStatementProbe.TrackedReaderAsync(readers, TestContext.Current.CancellationToken);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(0, await CountAboveAsync(readers, i));
        }

        Assert.Equal(1, readers.Opened);
        Assert.Same(connection, Assert.Single(readers.IdleConnections));
        var (sql, runs) = Assert.Single(SqliteStatementProbe.Statements(connection));
        Assert.Contains("FROM Numbers WHERE N > @p0", sql, StringComparison.Ordinal);
        Assert.Equal(20, runs);
    }

    [Fact]
    public async Task A_commit_through_another_connection_is_seen_by_the_next_read_and_an_idle_reader_holds_no_snapshot()
    {
        await using var readers = NewReaders(bound: 1);
        var connection = await SqliteStatementProbe.TrackedReaderAsync(readers, TestContext.Current.CancellationToken);
        Assert.Equal(0, await CountAboveAsync(readers, 0));

        await using (var other = await OpenOtherAsync())
        {
            await ExecuteAsync(other, "INSERT INTO Numbers (N) VALUES (5)");
            Assert.Equal(1, await CountAboveAsync(readers, 0));
            await ExecuteAsync(other, "INSERT INTO Numbers (N) VALUES (6)");
            Assert.Equal(2, await CountAboveAsync(readers, 0));

            // TRUNCATE waits for no reader and reports busy (1) when a connection still reads an older snapshot of the log.
            await using var checkpoint = other.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await using var result = await checkpoint.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            Assert.True(await result.ReadAsync(TestContext.Current.CancellationToken));
            Assert.Equal(0L, result.GetInt64(0));
        }

        Assert.Equal(0, new FileInfo(_database.FilePath + "-wal").Length);
        Assert.Same(connection, Assert.Single(readers.IdleConnections));
        Assert.Equal(ConnectionStateOpen, connection.State);
        Assert.Equal(3, Assert.Single(SqliteStatementProbe.Statements(connection)).Runs);
    }

    [Fact]
    public async Task A_read_that_fails_on_its_reader_drops_it_is_answered_on_a_connection_of_its_own_and_the_next_read_opens_a_fresh_one()
    {
        await using var readers = NewReaders(bound: 1);
        var first = await SqliteStatementProbe.TrackedReaderAsync(readers, TestContext.Current.CancellationToken);
        var firstRegistration = SqliteKeptStatements.On(first);
        Assert.NotNull(firstRegistration);
        var tries = new List<bool>();

        var answer = await readers.ReadAsync(tries, static async (db, tries, cancel) =>
        {
            var onKeptReader = SqliteKeptStatements.On(db.Database.GetDbConnection()) is not null;
            tries.Add(onKeptReader);
            if (onKeptReader)
            {
                throw new SqliteException("disk I/O error (simulated)", 10);
            }

            return await db.Database.SqlQueryRaw<long>("SELECT 41 + 1 AS \"Value\"").SingleAsync(cancel);
        }, TestContext.Current.CancellationToken);

        Assert.Equal(42, answer);
        Assert.Equal([true, false], tries);
        Assert.Equal(1, readers.ReadsFailed);
        Assert.Equal(0, readers.Open);
        Assert.Equal(ConnectionStateClosed, first.State);
        Assert.Null(SqliteKeptStatements.On(first));

        Assert.Equal(0, await CountAboveAsync(readers, 0));
        // A pooled context may hand the same connection object back: the reader is new if its registration is.
        Assert.Equal(2, readers.Opened);
        var second = Assert.Single(readers.IdleConnections);
        Assert.Equal(ConnectionStateOpen, second.State);
        Assert.NotSame(firstRegistration, SqliteKeptStatements.On(second));
    }

    [Fact]
    public async Task A_reader_whose_connection_was_closed_under_it_is_replaced_before_its_next_read()
    {
        await using var readers = NewReaders(bound: 1);
        Assert.Equal(0, await CountAboveAsync(readers, 0));
        var first = Assert.Single(readers.IdleConnections);
        var firstRegistration = SqliteKeptStatements.On(first);
        Assert.NotNull(firstRegistration);

        await first.CloseAsync();

        Assert.Equal(0, await CountAboveAsync(readers, 0));
        var second = Assert.Single(readers.IdleConnections);
        Assert.NotSame(firstRegistration, SqliteKeptStatements.On(second));
        Assert.Single(SqliteKeptStatements.On(second)!.KeptSql);
        Assert.Equal(ConnectionStateOpen, second.State);
        Assert.Equal(2, readers.Opened);
        Assert.Equal(1, readers.Open);
    }

    [Fact]
    public async Task A_cancelled_read_drops_its_reader_and_is_not_answered()
    {
        await using var readers = NewReaders(bound: 1);
        Assert.Equal(0, await CountAboveAsync(readers, 0));
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => readers.ReadAsync(cancellation, static async (db, cancellation, cancel) =>
        {
            await cancellation.CancelAsync();
            return await db.Database.SqlQueryRaw<long>("SELECT 1 AS \"Value\"").SingleAsync(cancel);
        }, cancellation.Token));

        Assert.Equal(0, readers.Open);
        Assert.Equal(0, readers.ReadsFailed);
        Assert.Equal(0, await CountAboveAsync(readers, 0));
        Assert.Equal(2, readers.Opened);
    }

    [Fact]
    public async Task Twelve_reads_at_once_with_two_readers_all_answer_and_no_more_than_two_connections_are_kept()
    {
        await using (var other = await OpenOtherAsync())
        {
            await ExecuteAsync(other, "INSERT INTO Numbers (N) VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)");
        }

        await using var readers = NewReaders(bound: 2);
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var onKept = 0;

        // Each read holds its connection until all twelve have started: two on the readers, ten on connections of their own.
        var reads = Enumerable.Range(0, 12).Select(i => Task.Run(() => readers.ReadAsync(i, async (db, n, cancel) =>
        {
            if (SqliteKeptStatements.On(db.Database.GetDbConnection()) is not null)
            {
                Interlocked.Increment(ref onKept);
            }

            if (Interlocked.Increment(ref started) == 12)
            {
                allStarted.SetResult();
            }

            await allStarted.Task.WaitAsync(cancel);
            return await db.Database.SqlQueryRaw<long>(CountSql, n).SingleAsync(cancel);
        }, TestContext.Current.CancellationToken))).ToArray();

        var answers = await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => 12L - i), answers);
        Assert.Equal(2, onKept);
        Assert.Equal(10, readers.ReadsElsewhere);
        Assert.Equal(2, readers.Opened);
        Assert.Equal(2, readers.IdleConnections.Count);
    }

    [Fact]
    public async Task Disposal_closes_the_idle_readers_a_leased_one_when_its_read_ends_and_later_reads_run_on_their_own()
    {
        var readers = NewReaders(bound: 2);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leasedStarted = new TaskCompletionSource<SqliteConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.Equal(0, await CountAboveAsync(readers, 0));
        var idle = Assert.Single(readers.IdleConnections);
        var leasedRead = readers.ReadAsync(0, async (db, _, cancel) =>
        {
            leasedStarted.SetResult((SqliteConnection)db.Database.GetDbConnection());
            await release.Task.WaitAsync(cancel);
            return 1;
        }, TestContext.Current.CancellationToken);
        var leased = await leasedStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Same(idle, leased);
        Assert.Equal(0, await CountAboveAsync(readers, 0)); // the second reader, opened while the first is leased
        var second = Assert.Single(readers.IdleConnections);

        await readers.DisposeAsync();

        Assert.Equal(ConnectionStateClosed, second.State);
        Assert.Equal(ConnectionStateOpen, leased.State);
        release.SetResult();
        Assert.Equal(1, await leasedRead);
        Assert.Equal(ConnectionStateClosed, leased.State);
        Assert.Null(SqliteKeptStatements.On(leased));
        Assert.Equal(0, readers.Open);

        Assert.Equal(0, await CountAboveAsync(readers, 0));
        Assert.Equal(2, readers.Opened);
        Assert.Empty(readers.IdleConnections);
    }

    private const System.Data.ConnectionState ConnectionStateOpen = System.Data.ConnectionState.Open;
    private const System.Data.ConnectionState ConnectionStateClosed = System.Data.ConnectionState.Closed;

    private SqliteKeptReaders NewReaders(int bound) =>
        new(_contexts, new PersistenceOptions { KeptReaders = bound }, NullLogger<SqliteKeptReaders>.Instance, _meters.GetRequiredService<IMeterFactory>());

    private static Task<long> CountAboveAsync(SqliteKeptReaders readers, long n) =>
        readers.ReadAsync(n, static (db, n, cancel) => db.Database.SqlQueryRaw<long>(CountSql, n).SingleAsync(cancel), TestContext.Current.CancellationToken);

    private async Task<SqliteConnection> OpenOtherAsync()
    {
        var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database.FilePath, Pooling = false }.ToString());
        await other.OpenAsync(TestContext.Current.CancellationToken);
        return other;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
