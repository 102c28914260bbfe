using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace WorkflowHost.Persistence.Instances;

// Statements written once per model from the model's own table and column names and built once as EF Core's relational
// commands, whose parameters convert each value through the property's type mapping as EF Core would have: the writes of
// a step without the expression tree, parameter extraction and query-cache lookup that every LINQ ExecuteUpdate costs
// (EF Core 10 compiles none), nor the change tracker's modification commands for an insert (issue 18). They run on the
// context's connection and transaction, seen by EF Core's interceptors and logging. First written for the vote
// (StepWrites, decisions 160 and 163); shared with the closing vote's writes (EffectWrites, decision 175).

/// <summary>
/// Values a step writes in more than one of its statements. Microsoft.Data.Sqlite binds every parameter of a command
/// to each of its statements in turn, converting each name to UTF-8 for every attempt: a value bound once for the whole
/// command, not once per statement, is that many conversions, parameters and boxes fewer (issue 18).
/// </summary>
internal enum Share
{
    Instance,
    Community,
    Now,
    HashScheme,
}

/// <summary>
/// A column of a statement: bound from a value, bound once per command (<see cref="Share"/>), or a constant in the text.
/// A text column bound as its UTF-8 bytes (<see cref="Utf8Text"/>) is given a <c>byte[]</c> and the database turns it
/// into text (decision 163): the state's JSON is serialised to UTF-8 once, never made a .NET string and converted again.
/// In a condition, <see cref="IsNull"/> is <c>column IS NULL</c> (nothing bound) and <see cref="In"/> is
/// <c>column IN (?, …)</c> with that many values bound.
/// </summary>
internal readonly record struct Column(string Name, Share? Shared = null, string? Constant = null, bool Utf8Text = false, bool IsNull = false, int In = 0)
{
    public static implicit operator Column(string name) => new(name);

    public static implicit operator Column((string Name, bool Utf8Text) utf8) => new(utf8.Name, Utf8Text: utf8.Utf8Text);

    public static implicit operator Column((string Name, Share Shared) shared) => new(shared.Name, shared.Shared);

    public static implicit operator Column((string Name, string Constant) constant) => new(constant.Name, Constant: constant.Constant);

    /// <summary>A condition <c>column IS NULL</c>.</summary>
    public static Column Null(string name) => new(name, IsNull: true);

    /// <summary>A condition <c>column IN (?, …)</c> with <paramref name="count"/> values.</summary>
    public static Column OneOf(string name, int count) =>
        count > 0 ? new(name, In: count) : throw new ArgumentOutOfRangeException(nameof(count), count, "An IN list needs at least one value.");
}

/// <summary>One SQL statement with the properties of its bound columns, in value order, and whether each is shared.</summary>
internal sealed record Statement(string Sql, IReadOnlyList<IProperty> Properties, IReadOnlyList<Share?> Shares, IReadOnlyList<bool> Utf8Text);

/// <summary>Writes statements from the model's table and column names, in the provider's quoting.</summary>
internal sealed class StatementWriter(DbContext db)
{
    private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();
    private readonly IRelationalCommandBuilderFactory _commands = db.GetService<IRelationalCommandBuilderFactory>();
    private readonly bool _sqlite = db.Database.IsSqlite();

    /// <summary>
    /// A UTF-8 value made text by the database: SQLite's <c>CAST(blob AS TEXT)</c> takes the bytes as they are (its
    /// text is UTF-8) and stores TEXT, not a BLOB; PostgreSQL's <c>convert_from(bytea, 'UTF8')</c> checks and converts them.
    /// </summary>
    private string AsText(string placeholder) => _sqlite ? $"CAST({placeholder} AS TEXT)" : $"convert_from({placeholder}, 'UTF8')";

    private RelationalTypeMapping Utf8Mapping => new ByteArrayTypeMapping(_sqlite ? "BLOB" : "bytea", System.Data.DbType.Binary);

    /// <summary><c>UPDATE table SET a = ?, … WHERE x = ? AND …</c> (or <c>x IS NULL</c>, <c>x IN (?, …)</c>).</summary>
    public Statement Update<TEntity>(Column[] set, Column[] where)
    {
        var (table, properties) = Mapped<TEntity>([.. set, .. where]);
        var values = new ValueList(properties);
        var assignments = set.Select((column, i) => $"{ColumnName(table, properties[i])} = {values.Next(column, properties[i])}").ToList();
        var conditions = where.Select((column, i) => Condition(table, column, properties[set.Length + i], values)).ToList();
        return values.Statement($"UPDATE {Table(table)} SET {string.Join(", ", assignments)} WHERE {string.Join(" AND ", conditions)}");
    }

    /// <summary><c>INSERT INTO table (a, …) VALUES (?, …)</c></summary>
    public Statement Insert<TEntity>(Column[] columns)
    {
        var (table, properties) = Mapped<TEntity>(columns);
        var values = new ValueList(properties);
        var names = properties.Select(p => ColumnName(table, p)).ToList();
        var placed = columns.Select((column, i) => values.Next(column, properties[i])).ToList();
        return values.Statement($"INSERT INTO {Table(table)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", placed)})");
    }

    /// <summary>
    /// A statement of another shape, its text written by <paramref name="text"/> from the entity's names (<see cref="Names"/>)
    /// and the placeholders of <paramref name="bound"/>, in order.
    /// </summary>
    public Statement Text<TEntity>(Column[] bound, Func<Names, string[], string> text)
    {
        var (table, properties) = Mapped<TEntity>(bound);
        var values = new ValueList(properties);
        var placed = bound.Select((column, i) => values.Next(column, properties[i])).ToArray();
        return values.Statement(text(new Names(this, table, db.Model.FindEntityType(typeof(TEntity))!), placed));
    }

    /// <summary>The delimited names of one entity's table and columns.</summary>
    public sealed class Names(StatementWriter writer, StoreObjectIdentifier table, IEntityType entity)
    {
        public string Table => writer.Table(table);

        public string this[string property] =>
            writer.ColumnName(table, entity.FindProperty(property) ?? throw new InvalidOperationException($"{entity.DisplayName()}.{property} is not mapped."));
    }

    /// <summary>
    /// The statements as one command, their placeholders numbered on through the whole text; a shared value's
    /// placeholder is the parameter its first statement bound.
    /// </summary>
    public PreparedStatement Build(Statement[] statements)
    {
        var builder = _commands.Create();
        var names = new List<string>();
        var slots = new List<int>();
        var shared = new Dictionary<Share, (int Parameter, RelationalTypeMapping Mapping)>();
        foreach (var statement in statements)
        {
            var placeholders = new object[statement.Properties.Count];
            for (var i = 0; i < placeholders.Length; i++)
            {
                var property = statement.Properties[i];
                var mapping = statement.Utf8Text[i] ? Utf8Mapping : property.GetRelationalTypeMapping();
                // One value in two columns is bound once only where both convert it alike (the same store type and
                // converter); otherwise each column keeps its own parameter, as before sharing.
                if (statement.Shares[i] is { } share && shared.TryGetValue(share, out var first)
                    && first.Mapping.StoreType == mapping.StoreType && first.Mapping.Converter?.GetType() == mapping.Converter?.GetType())
                {
                    slots.Add(first.Parameter);
                    placeholders[i] = _sql.GenerateParameterNamePlaceholder(names[first.Parameter]);
                    continue;
                }

                var name = "p" + names.Count;
                builder.AddParameter(name, _sql.GenerateParameterName(name), mapping, property.IsNullable);
                placeholders[i] = statement.Utf8Text[i] ? AsText(_sql.GenerateParameterNamePlaceholder(name)) : _sql.GenerateParameterNamePlaceholder(name);
                if (statement.Shares[i] is { } firstShare)
                {
                    shared.TryAdd(firstShare, (names.Count, mapping));
                }

                slots.Add(names.Count);
                names.Add(name);
            }

            builder.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, statement.Sql, placeholders)).Append(_sql.StatementTerminator).AppendLine();
        }

        return new PreparedStatement(builder.Build(), [.. names], [.. slots]);
    }

    private string Condition(StoreObjectIdentifier table, Column column, IProperty property, ValueList values)
    {
        var name = ColumnName(table, property);
        if (column.IsNull)
        {
            return $"{name} IS NULL";
        }

        if (column.In > 0)
        {
            return $"{name} IN ({string.Join(", ", Enumerable.Range(0, column.In).Select(_ => values.Next(column with { In = 0 }, property)))})";
        }

        return $"{name} = {values.Next(column, property)}";
    }

    private (StoreObjectIdentifier Table, IProperty[] Properties) Mapped<TEntity>(Column[] columns)
    {
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = columns.Select(c => entity.FindProperty(c.Name) ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{c.Name} is not mapped.")).ToArray();
        return (table, properties);
    }

    private string ColumnName(StoreObjectIdentifier table, IProperty property) => _sql.DelimitIdentifier(property.GetColumnName(table)!);

    private string Table(StoreObjectIdentifier table) => _sql.DelimitIdentifier(table.Name, table.Schema);

    /// <summary>A statement's bound columns in order, as <c>{n}</c> placeholders; a constant is written as the column's SQL literal.</summary>
    private sealed class ValueList(IProperty[] columns)
    {
        private readonly List<IProperty> _bound = new(columns.Length);
        private readonly List<Share?> _shares = new(columns.Length);
        private readonly List<bool> _utf8 = new(columns.Length);

        public string Next(Column column, IProperty property)
        {
            if (column.Constant is { } constant)
            {
                return property.GetRelationalTypeMapping().GenerateSqlLiteral(constant);
            }

            if (column.Utf8Text && column.Shared is not null)
            {
                throw new InvalidOperationException($"{property.Name} is bound as UTF-8 and cannot be shared.");
            }

            if (column.IsNull || column.In > 0)
            {
                throw new InvalidOperationException($"{property.Name}: IS NULL and IN are conditions of an UPDATE's WHERE.");
            }

            _bound.Add(property);
            _shares.Add(column.Shared);
            _utf8.Add(column.Utf8Text);
            return $"{{{_bound.Count - 1}}}";
        }

        public Statement Statement(string sql) => new(sql, [.. _bound], [.. _shares], [.. _utf8]);
    }
}

/// <summary>
/// A relational command built once; each run gives it the context's connection, the context, its logger and the values,
/// one for each of its statements' bound columns (<paramref name="slots"/> names each one's parameter; a shared one is
/// given again).
/// </summary>
internal sealed class PreparedStatement(IRelationalCommand command, string[] names, int[] slots)
{
    /// <summary>Equal and stored alike: <see cref="DateTimeOffset.Equals(DateTimeOffset)"/> ignores the offset, which is stored.</summary>
    private static bool SameValue(object? first, object? second) =>
        first is DateTimeOffset a && second is DateTimeOffset b ? a.EqualsExact(b) : Equals(first, second);

    public int ValueCount => slots.Length;

    /// <summary>The command's text as sent, placeholders and all: what a plan test prepares to see the server's plan for it.</summary>
    public string Sql => command.CommandText;

    /// <summary>Runs the command; answers the rows its statements changed, all together.</summary>
    public async Task<int> ExecuteAsync(DbContext db, CancellationToken cancellationToken, params object?[] values)
    {
        var parameters = Parameters(values);
        try
        {
            return await command.ExecuteNonQueryAsync(With(db, parameters), cancellationToken);
        }
        finally
        {
            GiveBack(parameters);
        }
    }

    /// <summary>Runs the command; answers the first column of the first row it returned (a <c>RETURNING</c>), or null.</summary>
    public async Task<object?> ExecuteScalarAsync(DbContext db, CancellationToken cancellationToken, params object?[] values)
    {
        var parameters = Parameters(values);
        try
        {
            return await command.ExecuteScalarAsync(With(db, parameters), cancellationToken);
        }
        finally
        {
            GiveBack(parameters);
        }
    }

    // The values by name, which EF Core reads only while it creates the command's parameters: one dictionary per thread is
    // reused, taken for one execution at a time (a vote's write binds dozens of values, docs/benchmarks.md section 21a).
    [ThreadStatic]
    private static Dictionary<string, object?>? _spare;

    private Dictionary<string, object?> Parameters(object?[] values)
    {
        if (values.Length != slots.Length)
        {
            throw new ArgumentException($"The command takes {slots.Length} values, not {values.Length}.", nameof(values));
        }

        var parameters = _spare ?? new Dictionary<string, object?>(names.Length);
        _spare = null;
        for (var i = 0; i < slots.Length; i++)
        {
            var name = names[slots[i]];
            if (!parameters.TryAdd(name, values[i]) && !SameValue(parameters[name], values[i]))
            {
                // Shared values are one value by construction (one step's instance, community, time); a difference is a bug.
                var message = $"Parameter {name} is shared by the step's statements but was given {parameters[name]} and {values[i]}.";
                GiveBack(parameters);
                throw new InvalidOperationException(message);
            }
        }

        return parameters;
    }

    private static void GiveBack(Dictionary<string, object?> parameters)
    {
        // Cleared, so no value outlives its execution; one grown past a few hundred entries is left to the collector.
        parameters.Clear();
        if (parameters.EnsureCapacity(0) <= 256)
        {
            _spare = parameters;
        }
    }

    private static RelationalCommandParameterObject With(DbContext db, Dictionary<string, object?> parameters) =>
        new(db.GetService<IRelationalConnection>(), parameters, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>());
}
