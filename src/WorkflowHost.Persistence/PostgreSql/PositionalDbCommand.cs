using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace WorkflowHost.Persistence.PostgreSql;

/// <summary>
/// A command's positional statements as one <see cref="NpgsqlBatch"/>, seen by EF Core as one <see cref="DbCommand"/>, and
/// kept by its plan between executions with its parameters (decision 188): the next execution of the same text takes
/// it back and gives the kept parameters their new values instead of making a batch, statements and a parameter per
/// value again. One statement may be read (EF Core's queries); several are only run (the step's write).
/// </summary>
/// <remarks>
/// A kept command is used by one execution at a time: taken from its plan's idle ones, returned when EF Core disposes it.
/// Each execution starts with the statements' texts set again, which drops whatever Npgsql remembers of their
/// preparation on another connection, so it looks them up in the connection's prepared statements as a new command
/// does. A command whose execution failed, or was never seen to finish, or that was given a timeout, is not kept.
/// </remarks>
internal sealed class PositionalDbCommand : DbCommand
{
    private readonly PositionalPlan _plan;
    private readonly NpgsqlBatch _batch = new();
    private readonly NpgsqlParameter?[] _kept;
    private readonly ParameterList _parameters = new();
    private string _text = "";
    private Task? _running;
    private bool _timeoutSet;

    private PositionalDbCommand(PositionalPlan plan)
    {
        _plan = plan;
        foreach (var statement in plan.Statements)
        {
            _batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
        }

        _kept = new NpgsqlParameter?[plan.Slots.Sum(s => s.Length)];
    }

    /// <summary>An idle kept command of the plan, or a new one, on <paramref name="connection"/>.</summary>
    public static PositionalDbCommand Take(PositionalPlan plan, NpgsqlConnection connection)
    {
        var command = plan.TakeIdle() ?? new PositionalDbCommand(plan);
        command._batch.Connection = connection;
        command._batch.Transaction = null;
        for (var i = 0; i < plan.Statements.Count; i++)
        {
            command._batch.BatchCommands[i].CommandText = plan.Statements[i].Text;
        }

        command._text = plan.Text;
        command._running = null;
        command._parameters.Clear();
        return command;
    }

    /// <summary>Gives each statement its values: a kept parameter takes the new value; otherwise EF Core's type mapping makes one.</summary>
    public void Fill(IReadOnlyDictionary<string, object?> values)
    {
        var slot = 0;
        for (var s = 0; s < _plan.Slots.Count; s++)
        {
            var statement = _batch.BatchCommands[s].Parameters;
            statement.Clear();
            foreach (var parameter in _plan.Slots[s])
            {
                if (!values.TryGetValue(parameter.InvariantName, out var value))
                {
                    throw new InvalidOperationException($"No value was given for the parameter '{parameter.InvariantName}'.");
                }

                var kept = _kept[slot];
                if (kept is not null && parameter.Reusable && value is not Enum)
                {
                    kept.Value = value ?? DBNull.Value;
                }
                else
                {
                    kept = _kept[slot] = (NpgsqlParameter)parameter.Mapping.CreateParameter(this, "", value, parameter.Nullable);
                }

                statement.Add(kept);
                _parameters.Add(kept);
                slot++;
            }
        }
    }

    [AllowNull]
    public override string CommandText
    {
        get => _text;
        set => _text = value ?? "";
    }

    public override int CommandTimeout
    {
        get => _batch.Timeout;
        set
        {
            // Npgsql cannot be told to forget a timeout set on a command, so a command given one is not kept.
            _batch.Timeout = value;
            _timeoutSet = true;
        }
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new NotSupportedException("A positional command runs text statements only.");
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => _batch.Connection;
        set => _batch.Connection = (NpgsqlConnection?)value;
    }

    protected override DbParameterCollection DbParameterCollection => _parameters;

    protected override DbTransaction? DbTransaction
    {
        get => _batch.Transaction;
        set => _batch.Transaction = (NpgsqlTransaction?)value;
    }

    public override void Cancel() => _batch.Cancel();

    public override int ExecuteNonQuery() => Ran(() => _batch.ExecuteNonQuery());

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Running(_batch.ExecuteNonQueryAsync(cancellationToken));

    public override object? ExecuteScalar() => Ran(() => _batch.ExecuteScalar());

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Running(_batch.ExecuteScalarAsync(cancellationToken));

    public override void Prepare() => _batch.Prepare();

    protected override DbParameter CreateDbParameter() => new NpgsqlParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Ran(() => _batch.ExecuteReader(behavior));

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await Running(_batch.ExecuteReaderAsync(behavior, cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Kept only after an execution seen to succeed; anything else (a failure, a cancellation, a command EF Core
            // created but never ran) is let go, batch and all.
            if (_running is { IsCompletedSuccessfully: true } && !_timeoutSet)
            {
                _running = null;
                _batch.Connection = null;
                _batch.Transaction = null;
                _parameters.Clear();
                _plan.ReturnIdle(this);
            }
            else
            {
                _batch.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private T Running<T>(T task) where T : Task
    {
        _running = task;
        return task;
    }

    private T Ran<T>(Func<T> run)
    {
        var result = run();
        _running = Task.CompletedTask;
        return result;
    }

    /// <summary>The parameters as EF Core and interceptors see them: a plain list, refilled on each execution.</summary>
    private sealed class ParameterList : DbParameterCollection
    {
        private readonly List<DbParameter> _items = [];

        public override int Count => _items.Count;

        public override object SyncRoot => ((ICollection)_items).SyncRoot;

        public override int Add(object value)
        {
            _items.Add((DbParameter)value);
            return _items.Count - 1;
        }

        public override void AddRange(Array values)
        {
            foreach (var value in values)
            {
                Add(value!);
            }
        }

        public override void Clear() => _items.Clear();

        public override bool Contains(object value) => value is DbParameter p && _items.Contains(p);

        public override bool Contains(string value) => IndexOf(value) >= 0;

        public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

        public override IEnumerator GetEnumerator() => _items.GetEnumerator();

        public override int IndexOf(object value) => value is DbParameter p ? _items.IndexOf(p) : -1;

        public override int IndexOf(string parameterName) => _items.FindIndex(p => p.ParameterName == parameterName);

        public override void Insert(int index, object value) => _items.Insert(index, (DbParameter)value);

        public override void Remove(object value) => _items.Remove((DbParameter)value);

        public override void RemoveAt(int index) => _items.RemoveAt(index);

        public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOf(parameterName));

        protected override DbParameter GetParameter(int index) => _items[index];

        protected override DbParameter GetParameter(string parameterName) => _items[IndexOf(parameterName)];

        protected override void SetParameter(int index, DbParameter value) => _items[index] = value;

        protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOf(parameterName)] = value;
    }
}
