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

    internal static void Map(ModelBuilder builder, bool sqlite)
    {
        var bytes = new ByteArrayTypeMapping(sqlite ? "BLOB" : "bytea", DbType.Binary);
        var text = new StringTypeMapping(sqlite ? "TEXT" : "text", DbType.String);
        builder.HasDbFunction(typeof(StoredText).GetMethod(nameof(Utf8))!).HasTranslation(arguments => sqlite
            ? new SqlUnaryExpression(ExpressionType.Convert, arguments[0], typeof(byte[]), bytes)
            : new SqlFunctionExpression(
                "convert_to", [arguments[0], new SqlConstantExpression("UTF8", typeof(string), text)], nullable: true,
                argumentsPropagateNullability: [true, false], typeof(byte[]), bytes));
    }
}
