using System.Data;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace WorkflowHost.Persistence.Queries;

/// <summary>
/// A text column read as the UTF-8 bytes it is stored in (decision 163): the step parses the state's JSON from them
/// directly, without the UTF-16 string a text read makes and the parser's transcoding of it back to UTF-8. SQLite keeps
/// TEXT as UTF-8 and <c>CAST(x AS BLOB)</c> hands over those bytes unchanged; PostgreSQL's <c>convert_to(x, 'UTF8')</c>
/// gives them whatever the server's encoding. Only the query's result changes type: the column stays text.
/// </summary>
public static class StoredText
{
    /// <summary>In a query only: <paramref name="text"/>'s UTF-8 bytes, converted by the database.</summary>
    public static byte[] Utf8(string text) =>
        throw new InvalidOperationException($"{nameof(StoredText)}.{nameof(Utf8)} is translated to SQL; it cannot run in .NET ({text.Length} characters).");

    /// <summary>
    /// In a query only: <paramref name="text"/>'s UTF-8 bytes as <see cref="Utf8"/> reads them, or null when they are exactly
    /// <paramref name="known"/> (decisions 182 and 186). The step passes the bytes its host kept for the instance, so a row
    /// holding them is not read into a new array only to be compared with the kept one: the database compares, byte for
    /// byte, on SQLite and on PostgreSQL alike. On PostgreSQL that sends the kept bytes to the server instead of having the
    /// server send the same bytes back, which is what it did on every step before.
    /// </summary>
    public static byte[]? Utf8UnlessKnown(string text, byte[]? known) =>
        throw new InvalidOperationException($"{nameof(StoredText)}.{nameof(Utf8UnlessKnown)} is translated to SQL; it cannot run in .NET ({text.Length} characters, {known?.Length} known bytes).");

    internal static void Map(ModelBuilder builder, bool sqlite)
    {
        var bytes = new ByteArrayTypeMapping(sqlite ? "BLOB" : "bytea", DbType.Binary);
        var text = new StringTypeMapping(sqlite ? "TEXT" : "text", DbType.String);
        builder.HasDbFunction(typeof(StoredText).GetMethod(nameof(Utf8))!).HasTranslation(arguments => Utf8Of(arguments[0], sqlite, bytes, text));
        // NULLIF(x, y) answers NULL when x = y and x otherwise, also when y is NULL. SQLite compares BLOBs with memcmp,
        // then by length; PostgreSQL's bytea equality compares length and bytes. The first argument is the column, never
        // NULL, so NULL means "the known bytes".
        builder.HasDbFunction(typeof(StoredText).GetMethod(nameof(Utf8UnlessKnown))!).HasTranslation(arguments =>
            new SqlFunctionExpression(
                "nullif", [Utf8Of(arguments[0], sqlite, bytes, text), KnownBytes(arguments[1], bytes)], nullable: true,
                argumentsPropagateNullability: [false, false], typeof(byte[]), bytes));
    }

    private static SqlExpression Utf8Of(SqlExpression text, bool sqlite, RelationalTypeMapping bytes, RelationalTypeMapping textMapping) => sqlite
        ? new SqlUnaryExpression(ExpressionType.Convert, text, typeof(byte[]), bytes)
        : new SqlFunctionExpression(
            "convert_to", [text, new SqlConstantExpression("UTF8", typeof(string), textMapping)], nullable: true,
            argumentsPropagateNullability: [true, false], typeof(byte[]), bytes);

    /// <summary>
    /// The known bytes bound as a BLOB (SQLite) or <c>bytea</c> (PostgreSQL), whatever mapping EF Core inferred (none, for a
    /// parameter alone in a function): on PostgreSQL an untyped parameter would leave the server to guess the comparison.
    /// </summary>
    private static SqlExpression KnownBytes(SqlExpression known, RelationalTypeMapping bytes) =>
        known is SqlParameterExpression parameter ? parameter.ApplyTypeMapping(bytes) : known;
}
