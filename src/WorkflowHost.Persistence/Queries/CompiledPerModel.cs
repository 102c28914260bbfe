using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace WorkflowHost.Persistence.Queries;

/// <summary>
/// A compiled query (<c>EF.CompileAsyncQuery</c>) kept per model. A compiled query binds its executor to the first model
/// it runs against, so one process with a SQLite host and a PostgreSQL host (the tests) needs one copy per provider.
/// The table is weak so a discarded model takes its copy with it.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> compiled = new();

    public TQuery For(DbContext db) => compiled.GetValue(db.Model, _ => compile());
}
