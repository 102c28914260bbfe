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

    /// <summary>Parameters kept for reuse per connection: more than a closing vote's command binds.</summary>
    public const int MaxParameters = 256;

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

        // The commands' writes on SQLite's own statements (decision 176), by SQL; null for a SQL that runs on
        // Microsoft.Data.Sqlite. Up to MaxKept, and the savepoints' few statements beside them.
        private readonly Dictionary<string, SqliteKeptWrite?> _writes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SqliteKeptWrite> _statements = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();
        private readonly Stack<SqliteKeptParameter> _parameters = new();
        private bool _disposed;

        public SqliteConnection Connection { get; } = connection;

        /// <summary>Executions that found their statement already prepared.</summary>
        public long Reused { get; private set; }

        /// <summary>Executions that had to prepare (first use, a busy or dropped command, or past <see cref="MaxKept"/>).</summary>
        public long Prepared { get; private set; }

        /// <summary>Writes run on the kept statements, without Microsoft.Data.Sqlite's binding (decision 176).</summary>
        public long WrittenDirectly { get; private set; }

        /// <summary>The statements SQLite holds for the kept writes and savepoints: for tests.</summary>
        internal int WriteStatements
        {
            get
            {
                lock (_lock)
                {
                    return _writes.Values.Sum(write => write?.StatementCount ?? 0) + _statements.Values.Sum(write => write.StatementCount);
                }
            }
        }

        /// <summary>Each statement of the kept writes and savepoints, with how often SQLite ran it: for tests.</summary>
        internal IReadOnlyList<(string Sql, int Runs)> WriteRuns
        {
            get
            {
                lock (_lock)
                {
                    return [.. _writes.Values.SelectMany(write => write?.Runs ?? []), .. _statements.Values.SelectMany(write => write.Runs)];
                }
            }
        }

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

        /// <summary>Parameters handed out again after a command gave them back: for tests.</summary>
        internal long ParametersReused { get; private set; }

        /// <summary>A parameter taken back from a disposed command, reset, or a new one when none is free.</summary>
        public SqliteKeptParameter RentParameter()
        {
            lock (_lock)
            {
                if (_parameters.TryPop(out var parameter))
                {
                    parameter.Free = false;
                    ParametersReused++;
                    return parameter;
                }
            }

            return new SqliteKeptParameter();
        }

        /// <summary>
        /// Takes back the parameters a disposed command handed out (<paramref name="last"/> and those before it) that can
        /// be reset to new (<see cref="SqliteKeptParameter.Reusable"/>), up to <see cref="MaxParameters"/> held.
        /// </summary>
        public void TakeBackParameters(SqliteKeptParameter? last)
        {
            lock (_lock)
            {
                for (var parameter = last; parameter is not null;)
                {
                    var before = parameter.HandedOutBefore;
                    parameter.HandedOutBefore = null;
                    if (parameter is { Reusable: true, Free: false } && _parameters.Count < MaxParameters)
                    {
                        parameter.Reset();
                        parameter.Free = true;
                        _parameters.Push(parameter);
                    }

                    parameter = before;
                }
            }
        }

        /// <summary>
        /// Runs a command's write on its kept statements and answers the rows changed, or <see langword="null"/> when it is
        /// to run on Microsoft.Data.Sqlite (see <see cref="SqliteKeptWrite"/>), with nothing run.
        /// </summary>
        public int? TryWrite(SqliteCommand command)
        {
            if (command.Connection is not SqliteKeptConnection { State: System.Data.ConnectionState.Open } open
                || !ReferenceEquals(command.Transaction, open.CurrentTransaction)
                || (command.Transaction is not null && SQLitePCL.raw.sqlite3_get_autocommit(open.Handle) != 0))
            {
                // Microsoft.Data.Sqlite refuses these, or knows the transaction was rolled back under it: its own words.
                return null;
            }

            var sql = command.CommandText;
            SqliteKeptWrite? write;
            lock (_lock)
            {
                if (_disposed)
                {
                    return null;
                }

                if (!_writes.TryGetValue(sql, out write))
                {
                    if (_writes.Count >= MaxKept)
                    {
                        return null;
                    }

                    var prepared = SqliteKeptWrite.TryPrepare(open, sql, out write);
                    if (prepared == SqliteKeptWrite.Preparation.Busy)
                    {
                        return null;
                    }

                    _writes.Add(sql, write);
                }
            }

            if (write?.Execute(command.Parameters, command.CommandTimeout) is not { } changed)
            {
                return null;
            }

            WrittenDirectly++;
            return changed;
        }

        /// <summary>
        /// Runs a statement without parameters on a statement kept for it (the group writer's savepoints, decision 176),
        /// prepared on its first use; a failure is Microsoft.Data.Sqlite's <see cref="SqliteException"/>.
        /// </summary>
        public void Execute(string sql)
        {
            SqliteKeptWrite? write;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!_statements.TryGetValue(sql, out write))
                {
                    if (SqliteKeptWrite.TryPrepare(Connection, sql, out write) != SqliteKeptWrite.Preparation.Kept)
                    {
                        write = null;
                    }
                    else
                    {
                        _statements.Add(sql, write!);
                    }
                }
            }

            if (write is null)
            {
                // Busy, or not a statement kept here: as an ordinary command, which waits or reports it.
                using var command = new SqliteCommand(sql, Connection, connection.CurrentTransaction);
                command.ExecuteNonQuery();
                return;
            }

            if (write.Execute(null, Connection.DefaultTimeout) is null)
            {
                throw new InvalidOperationException("A kept statement without parameters was not run: " + sql);
            }
        }

        /// <summary>Finalizes the writes' statements (the connection is closing); they are prepared again on their next use.</summary>
        internal void FinalizeWrites()
        {
            SqliteKeptWrite?[] writes;
            lock (_lock)
            {
                writes = [.. _writes.Values, .. _statements.Values];
                _writes.Clear();
                _statements.Clear();
            }

            foreach (var write in writes)
            {
                write?.Dispose();
            }
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

            FinalizeWrites();

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
