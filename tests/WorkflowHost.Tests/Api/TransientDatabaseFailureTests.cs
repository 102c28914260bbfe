using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using WorkflowHost.Api;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// Which real failures the host answers with 503: the database busy, locked, unreachable or too slow, however EF wraps
/// them; never a failure that retrying cannot fix (a broken constraint is a bug or a bad request).
/// </summary>
public sealed class TransientDatabaseFailureTests
{
    [Fact]
    public void A_sqlite_file_locked_by_another_writer_is_transient_and_a_broken_constraint_is_not()
    {
        var folder = Directory.CreateTempSubdirectory("workflowhost-busy-").FullName;
        // Microsoft.Data.Sqlite retries a busy database until the command timeout: 1 s, not 0 (which means forever).
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "busy.db"), Pooling = false, DefaultTimeout = 1 }.ToString();
        using var holder = new SqliteConnection(connectionString);
        holder.Open();
        Execute(holder, "CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1); BEGIN EXCLUSIVE;");
        using var other = new SqliteConnection(connectionString);
        other.Open();

        var busy = Assert.Throws<SqliteException>(() => Execute(other, "INSERT INTO t VALUES (2);"));
        var duplicate = Assert.Throws<SqliteException>(() => Execute(holder, "INSERT INTO t VALUES (1);"));

        Assert.True(TransientDatabaseFailure.IsTransient(busy), busy.Message);
        Assert.True(TransientDatabaseFailure.IsTransient(new DbUpdateException("wrapped by EF", busy)));
        Assert.False(TransientDatabaseFailure.IsTransient(duplicate), duplicate.Message);
        Assert.False(TransientDatabaseFailure.IsTransient(new DbUpdateException("wrapped by EF", duplicate)));
        Execute(holder, "ROLLBACK;");
        holder.Close();
        other.Close();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task An_unreachable_postgresql_server_is_transient_however_it_is_wrapped()
    {
        var nobody = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = FreePort(), Username = "x", Timeout = 2 }.ConnectionString;
        await using var connection = new NpgsqlConnection(nobody);
        var refused = await Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));

        Assert.True(TransientDatabaseFailure.IsTransient(refused), refused.Message);
        Assert.True(TransientDatabaseFailure.IsTransient(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused)));
        Assert.True(TransientDatabaseFailure.IsTransient(new RetryLimitExceededException("retries used up", new InvalidOperationException("last"))));
        Assert.True(TransientDatabaseFailure.IsTransient(new TimeoutException("command timed out")));
        Assert.False(TransientDatabaseFailure.IsTransient(new InvalidOperationException("a bug")));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
