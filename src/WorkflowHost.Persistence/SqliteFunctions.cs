using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace WorkflowHost.Persistence;

/// <summary>
/// The SQL functions EF Core's SQLite provider gives its connections (<c>regexp</c>, the <c>ef_*</c> decimal functions
/// and aggregates, the <c>EF_DECIMAL</c> collation), registered once per native connection instead of on every open.
/// </summary>
/// <remarks>
/// EF Core registers them on each <see cref="SqliteConnection"/> it creates (a new one per pooled context lease), and
/// Microsoft.Data.Sqlite then registers them on the native connection at every open and removes them at every close, so
/// a pooled native connection goes through twelve registrations and twelve removals per open (about 11 KB per vote over
/// its two connections, docs/benchmarks.md section 13a). Here the context's connection is created without them, and they
/// go straight onto the native connection (<see cref="SqliteConnection.Handle"/>, through SQLitePCLRaw, the documented
/// way to reach SQLite's own API) the first time it is opened; Microsoft.Data.Sqlite removes only what it registered
/// itself, so they stay for every later open from the pool. They behave as EF Core 10's own (SqliteFunctionsTests compares
/// the two); none of this model's queries uses them today, as it has no decimal columns, but a query that did must work.
/// </remarks>
internal sealed class SqliteFunctions : DbConnectionInterceptor
{
    public static readonly SqliteFunctions Instance = new();

    private const int Deterministic = 0x800; // SQLITE_DETERMINISTIC, as EF Core registers them

    // Weak, so a native connection the pool closes takes its entry with it.
    private readonly ConditionalWeakTable<sqlite3, object> _registered = [];

    /// <summary>
    /// The context's connection, without the per-connection registrations EF Core would have made; one that can keep its
    /// statements (<see cref="SqliteKeptConnection"/>), since this is where the host's contexts get their connections.
    /// </summary>
    public override InterceptionResult<DbConnection> ConnectionCreating(ConnectionCreatingEventData eventData, InterceptionResult<DbConnection> result) =>
        result.HasResult || eventData.ConnectionString is not { } connectionString
            ? result
            : InterceptionResult<DbConnection>.SuppressWithResult(new SqliteKeptConnection(connectionString));

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => RegisterOnce(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        RegisterOnce(connection);
        return Task.CompletedTask;
    }

    private void RegisterOnce(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } || _registered.TryGetValue(handle, out _))
        {
            return;
        }

        Register(handle);
        _registered.AddOrUpdate(handle, handle);
    }

    private static void Register(sqlite3 db)
    {
        Scalar(db, "regexp", 2, args => Text(args[0]) is { } pattern && Text(args[1]) is { } input ? Regex.IsMatch(input, pattern) : null);
        Scalar(db, "ef_mod", 2, args => Decimal(args[1]) == 0m ? null : Decimal(args[0]) % Decimal(args[1]));
        Scalar(db, "ef_add", 2, args => Decimal(args[0]) + Decimal(args[1]));
        Scalar(db, "ef_divide", 2, args => Decimal(args[1]) == 0m ? null : Decimal(args[0]) / Decimal(args[1]));
        Scalar(db, "ef_compare", 2, args => Decimal(args[0]) is { } left && Decimal(args[1]) is { } right ? decimal.Compare(left, right) : null);
        Scalar(db, "ef_multiply", 2, args => Decimal(args[0]) * Decimal(args[1]));
        Scalar(db, "ef_negate", 1, args => -Decimal(args[0]));
        Aggregate(db, "ef_avg", () => new Average());
        Aggregate(db, "ef_max", () => new Fold(decimal.Max));
        Aggregate(db, "ef_min", () => new Fold(decimal.Min));
        Aggregate(db, "ef_sum", () => new Fold((sum, value) => sum + value));
        Check(db, raw.sqlite3_create_collation(db, "EF_DECIMAL", null, static (_, x, y) =>
            // As EF Core's: parsed in the current culture.
            decimal.Compare(decimal.Parse(x, CultureInfo.CurrentCulture), decimal.Parse(y, CultureInfo.CurrentCulture))));
    }

    private static void Scalar(sqlite3 db, string name, int arity, Func<sqlite3_value[], object?> function) =>
        Check(db, raw.sqlite3_create_function(db, name, arity, Deterministic, null, (context, _, args) =>
        {
            try
            {
                Result(context, function(args));
            }
            catch (Exception e)
            {
                raw.sqlite3_result_error(context, e.Message);
            }
        }));

    private static void Aggregate(sqlite3 db, string name, Func<Accumulator> start) =>
        Check(db, raw.sqlite3_create_function(
            db, name, 1, Deterministic, null,
            (context, _, args) =>
            {
                var accumulator = (Accumulator)(context.state ??= start());
                if (accumulator.Error is null)
                {
                    try
                    {
                        accumulator.Add(Decimal(args[0]));
                    }
                    catch (Exception e)
                    {
                        accumulator.Error = e;
                    }
                }
            },
            (context, _) =>
            {
                var accumulator = (Accumulator)(context.state ??= start());
                if (accumulator.Error is { } error)
                {
                    raw.sqlite3_result_error(context, error.Message);
                    return;
                }

                try
                {
                    Result(context, accumulator.Result);
                }
                catch (Exception e)
                {
                    raw.sqlite3_result_error(context, e.Message);
                }
            }));

    private static string? Text(sqlite3_value value) =>
        raw.sqlite3_value_type(value) == raw.SQLITE_NULL ? null : raw.sqlite3_value_text(value).utf8_to_string();

    /// <summary>A decimal argument read as Microsoft.Data.Sqlite reads one: its text, in the invariant culture.</summary>
    private static decimal? Decimal(sqlite3_value value) =>
        Text(value) is { } text ? decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture) : null;

    /// <summary>A result bound as Microsoft.Data.Sqlite binds one: decimals as text, booleans and integers as integers.</summary>
    private static void Result(sqlite3_context context, object? value)
    {
        switch (value)
        {
            case null:
                raw.sqlite3_result_null(context);
                break;
            case decimal number:
                raw.sqlite3_result_text(context, number.ToString("0.0###########################", CultureInfo.InvariantCulture));
                break;
            case bool flag:
                raw.sqlite3_result_int64(context, flag ? 1 : 0);
                break;
            case int integer:
                raw.sqlite3_result_int64(context, integer);
                break;
            default:
                throw new InvalidOperationException($"No SQLite result for {value.GetType().Name}.");
        }
    }

    private static void Check(sqlite3 db, int code)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, db);
        }
    }

    /// <summary>One aggregate's running value over its group; an error stops it and is reported at the end, as EF Core's.</summary>
    private abstract class Accumulator
    {
        public Exception? Error { get; set; }

        public abstract object? Result { get; }

        public abstract void Add(decimal? value);
    }

    /// <summary><c>ef_avg</c>: the mean of the values that are not null; null when there are none.</summary>
    private sealed class Average : Accumulator
    {
        private decimal _sum;
        private ulong _count;

        public override object? Result => _count == 0 ? null : _sum / _count;

        public override void Add(decimal? value)
        {
            if (value is { } number)
            {
                _sum += number;
                _count++;
            }
        }
    }

    /// <summary><c>ef_max</c>, <c>ef_min</c>, <c>ef_sum</c>: folds the values that are not null; null when there are none.</summary>
    private sealed class Fold(Func<decimal, decimal, decimal> fold) : Accumulator
    {
        private decimal? _value;

        public override object? Result => _value;

        public override void Add(decimal? value)
        {
            if (value is { } number)
            {
                _value = _value is { } current ? fold(current, number) : number;
            }
        }
    }
}
