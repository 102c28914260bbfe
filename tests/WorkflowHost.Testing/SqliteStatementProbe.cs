using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;
using WorkflowHost.Persistence;

namespace WorkflowHost.Testing;

/// <summary>
/// Asks SQLite itself which statements are prepared on a connection and how often each ran, so that the tests of kept
/// statements and kept readers (decisions 161, 162) take SQLite's word for "prepared once", not the counters of the code
/// they test.
/// </summary>
public static class SqliteStatementProbe
{
    private const int StatementRuns = 6; // SQLITE_STMTSTATUS_RUN

    /// <summary>Lets the test ask SQLite about the statements prepared on the connection from now on.</summary>
    public static void Track(SqliteConnection connection) => connection.Handle!.enable_sqlite3_next_stmt(true);

    /// <summary>Every statement SQLite holds prepared on the connection, with how often it ran.</summary>
    public static List<(string Sql, int Runs)> Statements(SqliteConnection connection)
    {
        var handle = connection.Handle!;
        var found = new List<(string, int)>();
        for (var statement = raw.sqlite3_next_stmt(handle, null); statement is not null; statement = raw.sqlite3_next_stmt(handle, statement))
        {
            found.Add((raw.sqlite3_sql(statement).utf8_to_string(), raw.sqlite3_stmt_status(statement, StatementRuns, 0)));
        }

        return found;
    }

    /// <summary>How many times SQLite ran the statement prepared for this SQL on the connection; none prepared fails.</summary>
    public static int RunsOf(SqliteConnection connection, string sql)
    {
        foreach (var (prepared, runs) in Statements(connection))
        {
            if (prepared == sql)
            {
                return runs;
            }
        }

        throw new InvalidOperationException("No statement prepared for: " + sql);
    }

    /// <summary>
    /// Opens the reader the next read gets (the first, or the only one) with a read that prepares nothing, and lets the
    /// test ask SQLite about it: nothing is prepared on it yet.
    /// </summary>
    public static async Task<SqliteConnection> TrackedReaderAsync(SqliteKeptReaders readers, CancellationToken cancellationToken)
    {
        var connection = await readers.ReadAsync(0, static (db, _, _) =>
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            Track(connection);
            return Task.FromResult(connection);
        }, cancellationToken);
        Assert.Empty(Statements(connection));
        return connection;
    }
}
