using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace WorkflowHost.Persistence;

/// <summary>
/// Statements kept prepared on a connection that stays open: SQLite's group writer (decision 161), which runs every
/// step's read and write on one connection, parses each distinct statement once instead of once per step.
/// </summary>
/// <remarks>
/// EF Core creates a new command for every execution and disposes it afterwards, and Microsoft.Data.Sqlite finalizes a
/// command's prepared statements when it is disposed, so the step's statements were parsed and planned again for every
/// vote (8 % of a vote's host CPU, docs/benchmarks.md section 14). For a connection registered with <see cref="Keep"/>,
/// EF Core gets a <see cref="SqliteKeptCommand"/> instead, from the connection itself (<see cref="SqliteKeptConnection"/>,
/// decision 172): it hands out the connection's command for the same SQL, whose statements stay prepared until the
/// registration ends or the connection closes (Microsoft.Data.Sqlite finalizes them then, and prepares again on the next
/// use). EF Core still runs every execution through its interceptors, logging and parameter conversion: only the native
/// statement is reused. Other connections are untouched.
/// </remarks>
internal static class SqliteKeptStatements
{
    /// <summary>Distinct statements kept per connection; beyond it a command is prepared and dropped as before.</summary>
    public const int MaxKept = 64;

    /// <summary>
    /// Keeps statements on this connection until the returned registration is disposed. Only a connection the host's
    /// contexts created can keep them: one given to a context from outside would silently keep nothing, so it is refused.
    /// </summary>
    public static KeptOnConnection Keep(SqliteConnection connection)
    {
        if (connection is not SqliteKeptConnection keeping)
        {
            throw new InvalidOperationException($"Only a {nameof(SqliteKeptConnection)} keeps statements; this context's connection was not created by {nameof(SqliteFunctions)}.");
        }

        var kept = new KeptOnConnection(keeping);
        keeping.Kept = kept;
        return kept;
    }

    /// <summary>The registration of a connection, if any: for tests and counters.</summary>
    internal static KeptOnConnection? On(DbConnection connection) => (connection as SqliteKeptConnection)?.Kept;

    /// <summary>One connection's kept commands, by their SQL. Used by one step at a time, as its connection is.</summary>
    internal sealed class KeptOnConnection(SqliteKeptConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _idle = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();
        private bool _disposed;

        public SqliteConnection Connection { get; } = connection;

        /// <summary>Executions that found their statement already prepared.</summary>
        public long Reused { get; private set; }

        /// <summary>Executions that had to prepare (first use, a busy or dropped command, or past <see cref="MaxKept"/>).</summary>
        public long Prepared { get; private set; }

        /// <summary>The SQL of the commands kept and not in use.</summary>
        public IReadOnlyList<string> KeptSql
        {
            get
            {
                lock (_lock)
                {
                    return [.. _idle.Keys];
                }
            }
        }

        /// <summary>The kept command for this SQL, or a new one when it is in use (a reader still open) or not kept.</summary>
        public SqliteCommand Lease(string sql)
        {
            lock (_lock)
            {
                if (!_disposed && _idle.Remove(sql, out var command))
                {
                    Reused++;
                    return command;
                }

                Prepared++;
            }

            return new SqliteCommand(sql, Connection);
        }

        /// <summary>Takes a command back after its execution; its statements stay prepared for the next lease.</summary>
        public void Return(SqliteCommand command)
        {
            command.Parameters.Clear();
            command.Transaction = null;
            lock (_lock)
            {
                if (!_disposed && _idle.Count < MaxKept && _idle.TryAdd(command.CommandText, command))
                {
                    return;
                }
            }

            command.Dispose();
        }

        public void Dispose()
        {
            SqliteCommand[] commands;
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                commands = [.. _idle.Values];
                _idle.Clear();
            }

            if (ReferenceEquals(connection.Kept, this))
            {
                connection.Kept = null;
            }

            foreach (var command in commands)
            {
                command.Dispose();
            }
        }
    }
}
