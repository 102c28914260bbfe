using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace WorkflowHost.Persistence.PostgreSql;

/// <summary>
/// Several positional statements run as one <see cref="NpgsqlBatch"/>, seen by EF Core as one <see cref="DbCommand"/>
/// (decision 186). Its parameters are taken in statement order, each statement its own (<see cref="PositionalPlan"/>),
/// and handed to the batch's statements when it runs. Only run without results: EF Core's readers and scalars of several
/// statements keep its named command.
/// </summary>
internal sealed class PositionalBatchCommand : DbCommand
{
    private readonly NpgsqlBatch _batch;
    private readonly PositionalPlan _plan;
    private readonly ParameterList _parameters = new();
    private string _text = "";

    public PositionalBatchCommand(NpgsqlConnection connection, PositionalPlan plan)
    {
        _plan = plan;
        _batch = new NpgsqlBatch(connection);
        foreach (var statement in plan.Statements)
        {
            _batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
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
        set => _batch.Timeout = value;
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new NotSupportedException("A positional batch runs text statements only.");
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

    public override int ExecuteNonQuery()
    {
        Bind();
        return _batch.ExecuteNonQuery();
    }

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        Bind();
        return _batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public override object? ExecuteScalar() =>
        throw new NotSupportedException("A positional batch is run without results.");

    public override void Prepare() => _batch.Prepare();

    protected override DbParameter CreateDbParameter() => new NpgsqlParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
        throw new NotSupportedException("A positional batch is run without results.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _batch.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Hands each statement its own parameters, in the plan's order.</summary>
    private void Bind()
    {
        var expected = _plan.Parameters.Sum(p => p.Length);
        if (_parameters.Count != expected)
        {
            throw new InvalidOperationException($"The batch's statements take {expected} parameters; {_parameters.Count} were given.");
        }

        var next = 0;
        for (var i = 0; i < _plan.Parameters.Count; i++)
        {
            var statement = _batch.BatchCommands[i].Parameters;
            statement.Clear();
            for (var k = 0; k < _plan.Parameters[i].Length; k++)
            {
                statement.Add((NpgsqlParameter)_parameters[next++]);
            }
        }
    }

    /// <summary>The parameters as EF Core and interceptors see them: a plain list, handed to the statements on running.</summary>
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
