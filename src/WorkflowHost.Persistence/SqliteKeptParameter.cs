using System.Data;
using Microsoft.Data.Sqlite;

namespace WorkflowHost.Persistence;

/// <summary>
/// The parameter a kept command hands out (<see cref="SqliteKeptCommand"/>), taken back when the command is disposed and
/// handed out again, reset: EF Core creates a parameter for every value of every execution, a vote's dozens of them
/// (about 2 KB a vote, docs/benchmarks.md section 21a). It is Microsoft.Data.Sqlite's own parameter, bound by it as any other.
/// </summary>
/// <remarks>
/// Reset, it answers every property as a new <see cref="SqliteParameter"/> does. <see cref="Size"/> and
/// <see cref="SqliteType"/> are remembered by Microsoft.Data.Sqlite in fields that cannot be cleared from outside (its
/// binder reads them), so a parameter that had either set is never reused; EF Core sets neither for this model's
/// mappings, and what does is only a parameter more, as before.
/// </remarks>
internal sealed class SqliteKeptParameter : SqliteParameter
{
    /// <summary>False once something set a property a reset cannot take back.</summary>
    public bool Reusable { get; private set; } = true;

    /// <summary>True while the connection holds it for the next command, so that it is never taken back twice.</summary>
    public bool Free { get; set; }

    /// <summary>
    /// The parameter handed out before this one to the same command: a command takes back what it handed out when it is
    /// disposed, whether or not its collection still holds it (EF Core clears the collection before disposing a command).
    /// </summary>
    public SqliteKeptParameter? HandedOutBefore { get; set; }

    public override int Size
    {
        get => base.Size;
        set
        {
            Reusable = false;
            base.Size = value;
        }
    }

    public override SqliteType SqliteType
    {
        get => base.SqliteType;
        set
        {
            Reusable = false;
            base.SqliteType = value;
        }
    }

    public override void ResetSqliteType()
    {
        // Whether Microsoft.Data.Sqlite's reset clears the type or sets it to Text has differed between its versions:
        // a parameter reset this way is not reused.
        Reusable = false;
        base.ResetSqliteType();
    }

    /// <summary>Back to what a new parameter answers; the caller reuses it only when <see cref="Reusable"/>.</summary>
    public void Reset()
    {
        ParameterName = string.Empty;
        Value = null;
        DbType = DbType.String;
        IsNullable = false;
        SourceColumn = string.Empty;
        SourceColumnNullMapping = false;
    }
}
