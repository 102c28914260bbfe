using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Ledger;

/// <summary>
/// Filters on fields of a case's input (the nominee's name, the title, a consultation's kind), run by the database on the
/// stored state: SQLite's <c>json_extract</c>, PostgreSQL's <c>#&gt;&gt;</c> on the text cast to <c>json</c>. Only these input
/// fields are searched, never the whole state: a text match on the state would also find a closed ballot's details, and a
/// search must not become a way to ask who chose what (docs/decisions/0098).
/// </summary>
internal static class InputSql
{
    /// <summary>Instances whose nominee's name or title contains <paramref name="text"/>, ignoring case (ASCII letters).</summary>
    public static IQueryable<WorkflowInstance> WhereSubjectContains(WorkflowDbContext db, string text)
    {
        var pattern = "%" + EscapeLike(text.ToLowerInvariant()) + "%";
        return db.Database.IsSqlite()
            ? db.Instances.FromSql($$"""
                SELECT * FROM "Instances"
                WHERE lower(coalesce(json_extract("StateJson", '$.input.nomineeName'), '') || char(31) || coalesce(json_extract("StateJson", '$.input.title'), '')) LIKE {{pattern}} ESCAPE '\'
                """)
            : db.Instances.FromSql($$"""
                SELECT * FROM "Instances"
                WHERE lower(coalesce("StateJson"::json #>> '{input,nomineeName}', '') || chr(31) || coalesce("StateJson"::json #>> '{input,title}', '')) LIKE {{pattern}} ESCAPE '\'
                """);
    }

    /// <summary>Instances whose input field <c>kind</c> is <paramref name="kind"/>.</summary>
    public static IQueryable<WorkflowInstance> WhereKindIs(WorkflowDbContext db, string kind) =>
        db.Database.IsSqlite()
            ? db.Instances.FromSql($$"""SELECT * FROM "Instances" WHERE json_extract("StateJson", '$.input.kind') = {{kind}}""")
            : db.Instances.FromSql($$"""SELECT * FROM "Instances" WHERE "StateJson"::json #>> '{input,kind}' = {{kind}}""");

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
