using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace WorkflowHost.Persistence;

/// <summary>
/// The command EF Core gets on a connection that keeps its statements (<see cref="SqliteKeptStatements"/>): once EF Core
/// sets its SQL, it runs on the connection's kept command for that SQL, and disposing it hands that command back with its
/// statements still prepared, where disposing a <see cref="SqliteCommand"/> would finalize them.
/// </summary>
/// <remarks>
/// The connection hands one out to whoever calls <see cref="DbConnection.CreateCommand"/> (decision 172), not only to
/// EF Core's commands, which set their SQL first. EF Core's savepoints set the transaction first, and their names vary
/// with the step's place in its group (up to 96 statements, more than <see cref="SqliteKeptStatements.MaxKept"/>): a
/// command touched before its SQL is set is an ordinary one, prepared and finalized as before.
/// </remarks>
internal sealed class SqliteKeptCommand(SqliteKeptStatements.KeptOnConnection kept) : DbCommand
{
    private SqliteCommand? _command;
    private bool _ordinary;
    private int? _timeout;

    // The last parameter this command handed out; each links to the one before (SqliteKeptParameter.HandedOutBefore).
    private SqliteKeptParameter? _handedOut;

    [AllowNull]
    public override string CommandText
    {
        get => _command?.CommandText ?? "";
        set
        {
            var sql = value ?? "";
            if (_ordinary)
            {
                Command.CommandText = sql;
                return;
            }

            if (_command?.CommandText == sql)
            {
                return;
            }

            ReturnCommand();
            _command = kept.Lease(sql);
            if (_timeout is { } timeout)
            {
                _command.CommandTimeout = timeout;
            }
        }
    }

    public override int CommandTimeout
    {
        get => _timeout ?? Command.CommandTimeout;
        set
        {
            _timeout = value;
            if (_command is not null)
            {
                _command.CommandTimeout = value;
            }
        }
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException("SQLite runs text commands only.", nameof(value));
            }
        }
    }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    public override bool DesignTimeVisible { get; set; }

    protected override DbConnection? DbConnection
    {
        get => kept.Connection;
        set
        {
            if (value is not null && !ReferenceEquals(value, kept.Connection))
            {
                throw new InvalidOperationException("A kept command belongs to its connection.");
            }
        }
    }

    protected override DbParameterCollection DbParameterCollection => Command.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => Command.Transaction;
        set => Command.Transaction = (SqliteTransaction?)value;
    }

    private SqliteCommand Command => _command ?? Ordinary();

    private SqliteCommand Ordinary()
    {
        _ordinary = true;
        _command = kept.Connection.CreateCommand();
        if (_timeout is { } timeout)
        {
            _command.CommandTimeout = timeout;
        }

        return _command;
    }

    public override void Cancel() => _command?.Cancel();

    /// <summary>
    /// A write runs on its kept statements, bound by index without Microsoft.Data.Sqlite's per-execution binding (decision
    /// 176); what that path does not run exactly as Microsoft.Data.Sqlite would, Microsoft.Data.Sqlite runs.
    /// <see cref="DbCommand.ExecuteNonQueryAsync(CancellationToken)"/> comes here too, as it does on a <see cref="SqliteCommand"/>.
    /// </summary>
    public override int ExecuteNonQuery() =>
        (!_ordinary && _command is { } command ? kept.TryWrite(command) : null) ?? Command.ExecuteNonQuery();

    public override object? ExecuteScalar() => Command.ExecuteScalar();

    public override void Prepare() => Command.Prepare();

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Command.ExecuteScalarAsync(cancellationToken);

    /// <summary>A parameter the connection took back from a disposed command, reset, or a new one (<see cref="SqliteKeptParameter"/>).</summary>
    protected override DbParameter CreateDbParameter()
    {
        var parameter = kept.RentParameter();
        parameter.HandedOutBefore = _handedOut;
        _handedOut = parameter;
        return parameter;
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Command.ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await Command.ExecuteReaderAsync(behavior, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnCommand();
            // Only now: the caller may hold and set its parameters until the command is disposed.
            kept.TakeBackParameters(_handedOut);
            _handedOut = null;
        }

        base.Dispose(disposing);
    }

    private void ReturnCommand()
    {
        if (_command is { } command)
        {
            _command = null;
            if (_ordinary)
            {
                command.Dispose();
            }
            else
            {
                kept.Return(command);
            }
        }
    }
}
