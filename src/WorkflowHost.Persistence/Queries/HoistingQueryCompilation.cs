using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Sqlite.Query.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Query.Internal;

// The providers' query compilation contexts are EF Core's "internal" API (EF1001): pinned by Directory.Packages.props, and
// HoistingQueryCompilationTests run every query shape through them on both databases, so an upgrade that changes them fails there.
#pragma warning disable EF1001
// CreateQueryExecutorExpression is marked experimental (EF9100) for precompiled queries; EF Core's own CreateQueryExecutor calls it.
#pragma warning disable EF9100

namespace WorkflowHost.Persistence.Queries;

/// <summary>
/// Where a query's executor is compiled: the provider's own steps, then <see cref="ClosedLambdas"/> before the one
/// <c>Compile</c> (decision 165). Registered by <see cref="PersistenceServiceCollectionExtensions.Configure"/> for both providers.
/// </summary>
internal static class HoistingQueryCompilation
{
    public static Func<QueryContext, TResult> CreateExecutor<TResult>(
        QueryCompilationContext context, QueryCompilationContextDependencies dependencies, Expression query)
    {
        var executor = context.CreateQueryExecutorExpression<TResult>(query);
        // Liftable constants first, as EF Core does: a nested lambda holding one cannot be compiled on its own.
        var inlined = (Expression<Func<QueryContext, TResult>>)dependencies.LiftableConstantProcessor.InlineConstants(executor, context.SupportsPrecompiledQuery);
        try
        {
            return ClosedLambdas.Hoist(inlined).Compile();
        }
        finally
        {
            context.Logger.QueryExecutionPlanned(dependencies.Context, new ExpressionPrinter(), executor);
        }
    }
}

internal sealed class HoistingSqliteQueryCompilationContextFactory(
    QueryCompilationContextDependencies dependencies, RelationalQueryCompilationContextDependencies relationalDependencies)
    : IQueryCompilationContextFactory
{
    public QueryCompilationContext Create(bool async) => new Context(dependencies, relationalDependencies, async);

    private sealed class Context(
        QueryCompilationContextDependencies dependencies, RelationalQueryCompilationContextDependencies relationalDependencies, bool async)
        : SqliteQueryCompilationContext(dependencies, relationalDependencies, async)
    {
        public override Func<QueryContext, TResult> CreateQueryExecutor<TResult>(Expression query) =>
            HoistingQueryCompilation.CreateExecutor<TResult>(this, Dependencies, query);
    }
}

internal sealed class HoistingNpgsqlQueryCompilationContextFactory(
    QueryCompilationContextDependencies dependencies, RelationalQueryCompilationContextDependencies relationalDependencies)
    : IQueryCompilationContextFactory
{
    public QueryCompilationContext Create(bool async) => new Context(dependencies, relationalDependencies, async);

    private sealed class Context(
        QueryCompilationContextDependencies dependencies, RelationalQueryCompilationContextDependencies relationalDependencies, bool async)
        : NpgsqlQueryCompilationContext(dependencies, relationalDependencies, async)
    {
        public override Func<QueryContext, TResult> CreateQueryExecutor<TResult>(Expression query) =>
            HoistingQueryCompilation.CreateExecutor<TResult>(this, Dependencies, query);
    }
}
