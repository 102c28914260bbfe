using System.Linq.Expressions;

namespace WorkflowHost.Persistence.Queries;

/// <summary>
/// A piece of a query written once and used in several: each query calls a marker method where the piece belongs, and
/// <see cref="Into{TQuery, TPart}"/> puts the piece's body there, over the call's arguments, before EF Core sees the
/// query. EF Core gets the tree it would get had the piece been written out in place, so a compiled query
/// (<c>EF.CompileAsyncQuery</c>) stays one statement; a marker left in a query it cannot translate fails loudly.
/// </summary>
internal static class Spliced
{
    /// <summary>
    /// <paramref name="query"/> with every call of <paramref name="marker"/> replaced by <paramref name="part"/>'s body,
    /// its parameters taking that call's arguments. The marker and the piece share one delegate type, so they cannot
    /// disagree on what they take.
    /// </summary>
    public static Expression<TQuery> Into<TQuery, TPart>(Expression<TQuery> query, TPart marker, Expression<TPart> part)
        where TPart : Delegate =>
        (Expression<TQuery>)new MarkerSplicer(marker.Method, part).Visit(query);

    private sealed class MarkerSplicer(System.Reflection.MethodInfo marker, LambdaExpression part) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method != marker)
            {
                return base.VisitMethodCall(node);
            }

            var arguments = node.Arguments.Select(Visit).ToList();
            var map = part.Parameters.Zip(arguments, (parameter, argument) => (parameter, argument!)).ToDictionary(p => p.parameter, p => p.Item2);
            return new ParameterSwap(map).Visit(part.Body);
        }
    }

    private sealed class ParameterSwap(Dictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var replacement) ? replacement : node;
    }
}
