using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace WorkflowHost.Persistence;

/// <summary>
/// A kept command's writes run on SQLite's own statements (decision 176): the command's text is prepared once, statement
/// by statement, each statement's parameters are matched to the command's parameters once, by name, and every execution
/// binds the current values by index, steps each statement to its end and resets it.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite binds a command's parameters to its statements anew on each execution: it converts every
/// parameter's name to UTF-8 to look its index up, creates a binder per value, converts each text to a new array and
/// creates a data reader, about 10 KB a vote (docs/benchmarks.md section 20b). Here nothing of that is allocated.
/// What this runs is what Microsoft.Data.Sqlite would: the same values bound the same way (its <c>SqliteValueBinder</c>'s
/// rules for the types handled here), the same busy retries within the command's timeout, the same rows affected (the
/// changes of each statement, added up) and the same <see cref="SqliteException"/> for a failure, made by its own
/// <see cref="SqliteException.ThrowExceptionForRC"/>. Anything else gets <see langword="null"/> before anything is bound
/// or run, and the caller runs the command on Microsoft.Data.Sqlite as before: a value of another type (a Guid, a date,
/// a decimal, an enum, NaN, a CLR null), a value its parameter's size would truncate, a statement that returns rows, a
/// parameter a statement cannot match by name, a command whose transaction is not the connection's.
/// </remarks>
internal sealed class SqliteKeptWrite : IDisposable
{
    private const int SqliteLockedSharedCache = 262; // SQLITE_LOCKED_SHAREDCACHE
    private static readonly char[] Prefixes = ['@', '$', ':'];

    private readonly sqlite3 _handle;
    private readonly sqlite3_stmt[] _statements;

    // For each statement, the name SQLite gives each of its parameters (index 1 at 0).
    private readonly string?[][] _names;

    // The parameter names the plan was made for, and for each statement the parameter bound at each index; no plan
    // when those names cannot all be matched the way Microsoft.Data.Sqlite would (it would refuse the command).
    private string[] _plannedFor = [];
    private int[][]? _plan;
    private bool _planned;
    private byte[] _utf8 = new byte[256];
    private bool _disposed;

    private SqliteKeptWrite(sqlite3 handle, sqlite3_stmt[] statements)
    {
        _handle = handle;
        _statements = statements;
        _names = new string?[statements.Length][];
        for (var s = 0; s < statements.Length; s++)
        {
            var count = raw.sqlite3_bind_parameter_count(statements[s]);
            var names = new string?[count];
            for (var i = 0; i < count; i++)
            {
                names[i] = raw.sqlite3_bind_parameter_name(statements[s], i + 1).utf8_to_string();
            }

            _names[s] = names;
        }
    }

    /// <summary>How a command's text prepared: the statements, or why it runs on Microsoft.Data.Sqlite.</summary>
    internal enum Preparation
    {
        Kept,

        /// <summary>A statement returns rows, or the text has none, or does not prepare: run by Microsoft.Data.Sqlite always.</summary>
        NotKept,

        /// <summary>SQLite was busy: this time on Microsoft.Data.Sqlite (which waits), and tried again next time.</summary>
        Busy,
    }

    /// <summary>
    /// Prepares every statement of <paramref name="sql"/> as persistent on the connection, or none: a text this path does
    /// not run (see <see cref="Preparation"/>) is left to Microsoft.Data.Sqlite, which reports its errors in its own words.
    /// </summary>
    public static Preparation TryPrepare(SqliteConnection connection, string sql, out SqliteKeptWrite? write)
    {
        write = null;
        var handle = connection.Handle!;
        var text = Encoding.UTF8.GetBytes(sql);
        var statements = new List<sqlite3_stmt>();
        var outcome = Preparation.Kept;
        var start = 0;
        while (start < text.Length)
        {
            var rc = raw.sqlite3_prepare_v3(handle, text.AsSpan(start), raw.SQLITE_PREPARE_PERSISTENT, out var statement, out var tail);
            if (rc != raw.SQLITE_OK)
            {
                statement?.Dispose();
                outcome = IsBusy(rc) ? Preparation.Busy : Preparation.NotKept;
                break;
            }

            start = text.Length - tail.Length;
            if (statement is null || statement.IsInvalid)
            {
                // White space or a comment: nothing to run.
                continue;
            }

            statements.Add(statement);
            if (raw.sqlite3_column_count(statement) != 0)
            {
                outcome = Preparation.NotKept;
                break;
            }
        }

        if (statements.Count == 0 && outcome == Preparation.Kept)
        {
            outcome = Preparation.NotKept;
        }

        if (outcome != Preparation.Kept)
        {
            foreach (var statement in statements)
            {
                statement.Dispose();
            }

            return outcome;
        }

        write = new SqliteKeptWrite(handle, [.. statements]);
        return outcome;
    }

    /// <summary>The statements SQLite holds for this write: for tests.</summary>
    internal int StatementCount => _disposed ? 0 : _statements.Length;

    /// <summary>Each statement's SQL and how often SQLite ran it (its SQLITE_STMTSTATUS_RUN): for tests.</summary>
    internal IEnumerable<(string Sql, int Runs)> Runs =>
        _disposed ? [] : _statements.Select(statement => (raw.sqlite3_sql(statement).utf8_to_string(), raw.sqlite3_stmt_status(statement, 6, 0)));

    /// <summary>
    /// Runs the statements with these parameters and answers the rows they changed, as Microsoft.Data.Sqlite's
    /// <c>ExecuteNonQuery</c> would; <see langword="null"/>, with nothing bound or run, when the values are not all of
    /// the kinds handled here. A failure throws Microsoft.Data.Sqlite's <see cref="SqliteException"/> and leaves every
    /// statement reset and unbound, ready for the next execution.
    /// </summary>
    public int? Execute(DbParameterCollection? parameters, int commandTimeoutSeconds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var plan = Plan(parameters);
        if (plan is null || (parameters is not null && !AllBindable(parameters)))
        {
            return null;
        }

        var changes = -1;
        var started = Stopwatch.GetTimestamp();
        for (var s = 0; s < _statements.Length; s++)
        {
            var statement = _statements[s];
            try
            {
                var bound = plan[s];
                for (var i = 0; i < bound.Length; i++)
                {
                    Bind(statement, i + 1, parameters![bound[i]].Value!);
                }

                int rc;
                while (IsBusy(rc = raw.sqlite3_step(statement)))
                {
                    // As Microsoft.Data.Sqlite waits: the command's timeout over all its statements, 0 for none.
                    if (commandTimeoutSeconds != 0 && Stopwatch.GetElapsedTime(started).TotalMilliseconds >= commandTimeoutSeconds * 1000L)
                    {
                        break;
                    }

                    raw.sqlite3_reset(statement);
                    Thread.Sleep(150);
                }

                if (rc != raw.SQLITE_DONE)
                {
                    // Not SQLITE_ROW: a statement that returns rows was never kept.
                    SqliteException.ThrowExceptionForRC(rc, _handle);
                }

                raw.sqlite3_reset(statement);
                raw.sqlite3_clear_bindings(statement);
                var changed = raw.sqlite3_changes(_handle);
                changes = changes == -1 ? changed : changes + changed;
            }
            catch
            {
                for (var rest = s; rest < _statements.Length; rest++)
                {
                    raw.sqlite3_reset(_statements[rest]);
                    raw.sqlite3_clear_bindings(_statements[rest]);
                }

                throw;
            }
        }

        return changes;
    }

    /// <summary>The parameter bound at each index of each statement, made once for a command's parameter names.</summary>
    private int[][]? Plan(DbParameterCollection? parameters)
    {
        var count = parameters?.Count ?? 0;
        if (_planned && count == _plannedFor.Length)
        {
            var same = true;
            for (var p = 0; p < count && same; p++)
            {
                var name = parameters![p].ParameterName;
                same = ReferenceEquals(name, _plannedFor[p]) || string.Equals(name, _plannedFor[p], StringComparison.Ordinal);
            }

            if (same)
            {
                return _plan;
            }
        }

        var names = new string[count];
        for (var p = 0; p < count; p++)
        {
            names[p] = parameters![p].ParameterName;
        }

        _plannedFor = names;
        _plan = MakePlan(names);
        _planned = true;
        return _plan;
    }

    /// <summary>
    /// Matches the names as Microsoft.Data.Sqlite does: a name as given, else (when it has no prefix of its own) with
    /// exactly one of <c>@ $ :</c> before it. Every parameter of every statement must be matched by exactly one name.
    /// </summary>
    private int[][]? MakePlan(string[] names)
    {
        var plan = new int[_statements.Length][];
        for (var s = 0; s < _statements.Length; s++)
        {
            var statementNames = _names[s];
            var bound = new int[statementNames.Length];
            Array.Fill(bound, -1);
            var matched = 0;
            for (var p = 0; p < names.Length; p++)
            {
                var name = names[p];
                if (string.IsNullOrEmpty(name))
                {
                    return null;
                }

                var index = Array.IndexOf(statementNames, name);
                if (index < 0 && name.IndexOfAny(Prefixes, 0, 1) < 0)
                {
                    foreach (var prefix in Prefixes)
                    {
                        var prefixed = Array.IndexOf(statementNames, prefix + name);
                        if (prefixed >= 0)
                        {
                            if (index >= 0)
                            {
                                return null; // ambiguous: Microsoft.Data.Sqlite refuses it
                            }

                            index = prefixed;
                        }
                    }
                }

                if (index < 0)
                {
                    continue; // a parameter of another statement
                }

                if (bound[index] >= 0)
                {
                    return null; // two values for one parameter
                }

                bound[index] = p;
                matched++;
            }

            if (matched != statementNames.Length)
            {
                return null; // a parameter without a value: Microsoft.Data.Sqlite refuses the command
            }

            plan[s] = bound;
        }

        return plan;
    }

    /// <summary>Whether every value is of a kind bound here exactly as Microsoft.Data.Sqlite binds it.</summary>
    private static bool AllBindable(DbParameterCollection parameters)
    {
        for (var p = 0; p < parameters.Count; p++)
        {
            var parameter = parameters[p];
            switch (parameter.Value)
            {
                case DBNull:
                case bool:
                case byte:
                case sbyte:
                case short:
                case ushort:
                case int:
                case uint:
                case long:
                case ulong:
                    continue;
                case double d when !double.IsNaN(d):
                    continue;
                case float f when !float.IsNaN(f):
                    continue;
                // A size shorter than the value truncates it there: left to Microsoft.Data.Sqlite.
                case string s when parameter.Size == -1 || s.Length <= parameter.Size:
                    continue;
                case byte[] b when parameter.Size == -1 || b.Length <= parameter.Size:
                    continue;
                // As text, unless the parameter names the other form (a Guid's bytes, a date's Julian day). A size of 0 is
                // what SqliteParameter.Size answers when none was set for these (EF Core sets none); a size shorter than
                // the text truncates it and goes to Microsoft.Data.Sqlite. An explicit size of 0 would bind an empty text
                // there and cannot be told apart: nothing in the host sets one.
                case Guid when parameter is SqliteParameter { SqliteType: not SqliteType.Blob } && parameter.Size is <= 0 or >= 36:
                    continue;
                case DateTimeOffset when parameter is SqliteParameter { SqliteType: not SqliteType.Real } && parameter.Size is <= 0 or >= 40:
                    continue;
                default:
                    // Boxed enums are their enum type, not caught above: they go to Microsoft.Data.Sqlite too.
                    return false;
            }
        }

        return true;
    }

    private void Bind(sqlite3_stmt statement, int index, object value)
    {
        var rc = value switch
        {
            DBNull => raw.sqlite3_bind_null(statement, index),
            bool b => raw.sqlite3_bind_int64(statement, index, b ? 1L : 0L),
            byte n => raw.sqlite3_bind_int64(statement, index, n),
            sbyte n => raw.sqlite3_bind_int64(statement, index, n),
            short n => raw.sqlite3_bind_int64(statement, index, n),
            ushort n => raw.sqlite3_bind_int64(statement, index, n),
            int n => raw.sqlite3_bind_int64(statement, index, n),
            uint n => raw.sqlite3_bind_int64(statement, index, n),
            long n => raw.sqlite3_bind_int64(statement, index, n),
            ulong n => raw.sqlite3_bind_int64(statement, index, unchecked((long)n)),
            double d => raw.sqlite3_bind_double(statement, index, d),
            float f => raw.sqlite3_bind_double(statement, index, f),
            string s => BindText(statement, index, s),
            byte[] b => raw.sqlite3_bind_blob(statement, index, b),
            Guid g => BindGuid(statement, index, g),
            DateTimeOffset d => BindDateTimeOffset(statement, index, d),
            _ => throw new UnreachableException("Checked by AllBindable."),
        };

        // Microsoft.Data.Sqlite does not check a bind's result either; an out-of-memory one surfaces at the step.
        _ = rc;
    }

    /// <summary>The string as UTF-8 in the reused buffer; SQLite copies it (a transient bind).</summary>
    private int BindText(sqlite3_stmt statement, int index, string text)
    {
        if (text.Length == 0)
        {
            // An empty span would be bound from a null pointer, which SQLite takes for NULL: the empty text, terminated.
            return raw.sqlite3_bind_text(statement, index, utf8z.FromSpan(EmptyText));
        }

        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_utf8.Length < most)
        {
            _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(text, _utf8);
        return raw.sqlite3_bind_text(statement, index, _utf8.AsSpan(0, length));
    }

    /// <summary>Microsoft.Data.Sqlite's text of a Guid: its "D" form in upper case.</summary>
    private int BindGuid(sqlite3_stmt statement, int index, Guid guid)
    {
        Span<char> chars = stackalloc char[36];
        guid.TryFormat(chars, out var written);
        for (var i = 0; i < written; i++)
        {
            chars[i] = char.ToUpperInvariant(chars[i]);
        }

        return BindChars(statement, index, chars[..written]);
    }

    /// <summary>Microsoft.Data.Sqlite's text of a DateTimeOffset, in its own format.</summary>
    private int BindDateTimeOffset(sqlite3_stmt statement, int index, DateTimeOffset value)
    {
        Span<char> chars = stackalloc char[64];
        value.TryFormat(chars, out var written, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
        return BindChars(statement, index, chars[..written]);
    }

    private int BindChars(sqlite3_stmt statement, int index, ReadOnlySpan<char> chars)
    {
        var length = Encoding.UTF8.GetBytes(chars, _utf8);
        return raw.sqlite3_bind_text(statement, index, _utf8.AsSpan(0, length));
    }

    private static ReadOnlySpan<byte> EmptyText => [0];

    private static bool IsBusy(int rc) => rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED or SqliteLockedSharedCache;

    /// <summary>Finalizes the statements; the connection can then close (or go back to the pool) without them.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var statement in _statements)
        {
            statement.Dispose();
        }
    }
}
