using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.Internal;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Storage.Internal.Mapping;

namespace WorkflowHost.Persistence.PostgreSql;

// TypeMappedRelationalParameter is EF Core's "internal" API (EF1001), as HoistingQueryCompilation's base classes are:
// pinned by the central package versions, and PositionalCommandTests fail if an upgrade stops commands going positional.
#pragma warning disable EF1001

/// <summary>
/// Builds every command of a PostgreSQL context as a <see cref="PositionalCommand"/> (decision 188): EF Core's queries,
/// its saves and the host's own statements (<c>PreparedStatement</c>) alike.
/// </summary>
internal sealed class PositionalCommandBuilderFactory(RelationalCommandBuilderDependencies dependencies) : RelationalCommandBuilderFactory(dependencies)
{
    public override IRelationalCommandBuilder Create() => new PositionalCommandBuilder(Dependencies);

    private sealed class PositionalCommandBuilder(RelationalCommandBuilderDependencies dependencies) : RelationalCommandBuilder(dependencies)
    {
        public override IRelationalCommand Build()
        {
            var built = base.Build();
            return new PositionalCommand(Dependencies, built.CommandText, built.LogCommandText, built.Parameters);
        }
    }
}

/// <summary>
/// EF Core's command, sent to PostgreSQL in Npgsql's positional form: <c>$1…$n</c> and unnamed parameters, which Npgsql
/// sends as they are. A command with <c>@name</c> parameters is parsed by Npgsql on every execution, its placeholders
/// rewritten and its statements split into new strings (about 10 KB a vote, docs/benchmarks.md 24a); here that is done
/// once per command text (<see cref="PositionalSql"/>), kept with the command, which EF Core caches per query.
/// </summary>
/// <remarks>
/// <para>Only how the <see cref="DbCommand"/> is made changes: EF Core still opens the connection, runs the command, raises
/// every logging and interception event and reads the results. Interceptors see the command as sent (positional text,
/// unnamed parameters); EF Core's own log lines print the named text.</para>
/// <para>The command is a <see cref="PositionalDbCommand"/>, an <see cref="NpgsqlBatch"/> kept with its parameters: one
/// statement may be read; several are only run without results (the step's write), which Npgsql sends as it sends a
/// parsed multi-statement command: each statement's Parse, Bind and Execute, then one Sync, so they still succeed or fail
/// together. Anything else keeps EF Core's named command: several statements read as results, a text
/// <see cref="PositionalSql"/> will not rewrite, a parameter that is not a plain type-mapped value, a connection that is
/// not Npgsql's, a command an interceptor supplies.</para>
/// </remarks>
internal sealed class PositionalCommand(RelationalCommandBuilderDependencies dependencies, string commandText, string logCommandText, IReadOnlyList<IRelationalParameter> parameters)
    : RelationalCommand(dependencies, commandText, logCommandText, parameters)
{
    private static readonly Func<TypeMappedRelationalParameter, RelationalTypeMapping>? MappingOf = Getter<RelationalTypeMapping>("RelationalTypeMapping");
    private static readonly Func<TypeMappedRelationalParameter, bool?>? NullableOf = Getter<bool?>("IsNullable");

    // A rented command (EF Core's queries) takes its text and parameters from the cached template on every execution, and
    // the template's plan with them; a command built whole (a save, a host statement) plans itself once.
    private PositionalCommand? _template;
    private volatile object? _plan;

    /// <summary>How this command goes to the server: null when it keeps EF Core's named form.</summary>
    internal PositionalPlan? Plan
    {
        get
        {
            if (_template is { } template)
            {
                return template.Plan;
            }

            // Two threads may plan a shared command at once; both plans are equal, and either is kept.
            var plan = _plan ??= (object?)PositionalPlan.Of(CommandText, Parameters, MappingOf, NullableOf) ?? PositionalPlan.None;
            return plan as PositionalPlan;
        }
    }

    public override void PopulateFrom(IRelationalCommandTemplate commandTemplate)
    {
        base.PopulateFrom(commandTemplate);
        _template = commandTemplate as PositionalCommand;
        _plan = null;
    }

    public override DbCommand CreateDbCommand(RelationalCommandParameterObject parameterObject, Guid commandId, DbCommandMethod commandMethod)
    {
        var plan = Plan;
        if (plan is null || parameterObject.Connection.DbConnection is not NpgsqlConnection npgsql || parameterObject.ParameterValues is not { } values
                || (plan.Statements.Count > 1 && commandMethod != DbCommandMethod.ExecuteNonQuery))
        {
            return base.CreateDbCommand(parameterObject, commandId, commandMethod);
        }

        // As RelationalCommand.CreateDbCommand does, with the positional command in place of the connection's own.
        var (connection, context, logger) = (parameterObject.Connection, parameterObject.Context, parameterObject.Logger);
        var connectionId = connection.ConnectionId;
        var startTime = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        var logCreate = logger?.ShouldLogCommandCreate(startTime) == true;
        PositionalDbCommand? made = null;
        DbCommand command;
        if (logCreate)
        {
            var interception = logger!.CommandCreating(connection, commandMethod, context, commandId, connectionId, startTime, parameterObject.CommandSource);
            command = interception.HasResult ? interception.Result : made = PositionalDbCommand.Take(plan, npgsql);
            command = logger.CommandCreated(connection, command, commandMethod, context, commandId, connectionId, startTime, Stopwatch.GetElapsedTime(started), parameterObject.CommandSource);
        }
        else
        {
            command = made = PositionalDbCommand.Take(plan, npgsql);
        }

        if (connection.CurrentTransaction is { } transaction)
        {
            command.Transaction = transaction.GetDbTransaction();
        }

        if (connection.CommandTimeout is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        if (ReferenceEquals(command, made))
        {
            ((PositionalDbCommand)command).Fill(values);
        }
        else
        {
            // An interceptor's own command gets the command as EF Core would have made it.
            command.CommandText = CommandText;
            foreach (var parameter in Parameters)
            {
                parameter.AddDbParameter(command, values);
            }
        }

        if (logCreate)
        {
            command = logger!.CommandInitialized(connection, command, commandMethod, context, commandId, connectionId, startTime, Stopwatch.GetElapsedTime(started), parameterObject.CommandSource);
        }

        return command;
    }

    private static Func<TypeMappedRelationalParameter, T>? Getter<T>(string property) =>
        typeof(TypeMappedRelationalParameter).GetProperty(property, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetMethod is { } getter
        && getter.ReturnType == typeof(T)
            ? getter.CreateDelegate<Func<TypeMappedRelationalParameter, T>>()
            : null;
}

/// <summary>One <c>$n</c> of a statement: the value it takes, by EF Core's name, and how EF Core makes its parameter.</summary>
/// <param name="Reusable">
/// Whether a kept parameter may simply be given the next value: the mapping converts nothing (no value converter, no
/// enum) and configures the parameter the same whatever the value (EF Core's own <c>ConfigureParameter</c>, which does
/// nothing, or Npgsql's, which sets the mapping's constant <see cref="NpgsqlTypes.NpgsqlDbType"/>).
/// </param>
internal sealed record PositionalSlot(string InvariantName, RelationalTypeMapping Mapping, bool? Nullable, bool Reusable);

/// <summary>
/// A command's statements in positional form, the values each <c>$n</c> takes (<see cref="Slots"/>), and the kept commands
/// of this text that are idle (<see cref="PositionalDbCommand"/>).
/// </summary>
internal sealed class PositionalPlan(IReadOnlyList<PositionalStatement> statements, IReadOnlyList<PositionalSlot[]> slots)
{
    /// <summary>Stands for "planned, and stays named", so a command is planned only once.</summary>
    internal static readonly object None = new();

    /// <summary>
    /// Idle kept commands held at most: about as many as run this text at once (a connection pool's worth at most); an
    /// execution that finds none makes one, and one returned to a full stack is let go.
    /// </summary>
    internal const int MostIdle = 64;

    private readonly Stack<PositionalDbCommand> _idle = new();

    public IReadOnlyList<PositionalStatement> Statements => statements;

    public IReadOnlyList<PositionalSlot[]> Slots => slots;

    /// <summary>What the command's <see cref="DbCommand.CommandText"/> shows: the statements as sent, one per line.</summary>
    public string Text { get; } = string.Join(";\n", statements.Select(s => s.Text));

    internal PositionalDbCommand? TakeIdle()
    {
        lock (_idle)
        {
            return _idle.TryPop(out var command) ? command : null;
        }
    }

    internal void ReturnIdle(PositionalDbCommand command)
    {
        lock (_idle)
        {
            if (_idle.Count < MostIdle)
            {
                _idle.Push(command);
            }
        }
    }

    /// <summary>The plan, or null when the command must stay named.</summary>
    public static PositionalPlan? Of(
        string text, IReadOnlyList<IRelationalParameter> parameters,
        Func<TypeMappedRelationalParameter, RelationalTypeMapping>? mappingOf, Func<TypeMappedRelationalParameter, bool?>? nullableOf)
    {
        // Without parameters Npgsql does not rewrite anything it sends anyway (beyond splitting statements).
        if (parameters.Count == 0 || mappingOf is null || nullableOf is null || string.IsNullOrEmpty(text))
        {
            return null;
        }

        var byName = new Dictionary<string, TypeMappedRelationalParameter>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            // Only a plain value with its type mapping: a composite or raw parameter brings its own DbParameters.
            if (parameter is not TypeMappedRelationalParameter { Direction: ParameterDirection.Input } typed
                || typed.Name is not ['@', _, ..] || !byName.TryAdd(typed.Name[1..], typed))
            {
                return null;
            }
        }

        if (PositionalSql.Rewrite(text, byName.Keys.ToHashSet(StringComparer.Ordinal)) is not { } statements
            || statements.Any(s => s.Names.Count > ushort.MaxValue))
        {
            return null;
        }

        var slots = statements
            .Select(s => s.Names.Select(name =>
            {
                var parameter = byName[name];
                var mapping = mappingOf(parameter);
                return new PositionalSlot(parameter.InvariantName, mapping, nullableOf(parameter), Reusable(mapping));
            }).ToArray())
            .ToList();
        return new PositionalPlan(statements, slots);
    }

    private static bool Reusable(RelationalTypeMapping mapping)
    {
        if (mapping.Converter is not null || (Nullable.GetUnderlyingType(mapping.ClrType) ?? mapping.ClrType).IsEnum)
        {
            return false;
        }

        var configures = mapping.GetType().GetMethod("ConfigureParameter", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(DbParameter)])?.DeclaringType;
        var declared = configures is { IsGenericType: true } ? configures.GetGenericTypeDefinition() : configures;
        return declared == typeof(RelationalTypeMapping) || declared == typeof(NpgsqlTypeMapping) || declared == typeof(NpgsqlStringTypeMapping)
            || declared == typeof(NpgsqlArrayTypeMapping) || declared == typeof(NpgsqlArrayTypeMapping<,,>);
    }
}
