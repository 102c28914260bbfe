using System.Linq.Expressions;

namespace WorkflowHost.Persistence.Queries;

/// <summary>
/// Compiles each closed lambda nested in an expression once, ahead of its enclosing one (decision 165). When a compiled
/// expression tree meets a nested lambda, it builds a new delegate for it on every run of the enclosing code
/// (<c>DynamicMethod.CreateDelegate</c> and a closure), even when the lambda uses nothing of the enclosing scope. EF Core
/// 9 and later leave their shapers and value readers as nested lambdas in a query's executor (so that precompiled queries
/// can print them as C#), so every execution of every query paid for a handful of delegates: section 16d of
/// docs/benchmarks.md found it the host's hottest managed leaf under votes. A lambda that reads no parameter or variable
/// of an enclosing scope behaves the same when compiled on its own, so it is compiled once and kept as a constant.
/// </summary>
internal static class ClosedLambdas
{
    /// <summary>The same lambda with every closed lambda inside it (not itself) replaced by its compiled delegate.</summary>
    public static Expression<TDelegate> Hoist<TDelegate>(Expression<TDelegate> root) =>
        root.Update(new Hoister().Visit(root.Body), root.Parameters);

    private sealed class Hoister : ExpressionVisitor
    {
        /// <summary>Innermost first: a lambda whose inner lambdas became constants may itself be closed.</summary>
        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            var visited = (Expression<T>)base.VisitLambda(node);
            return FreeVariables.AnyIn(visited) ? visited : Expression.Constant(visited.Compile(), visited.Type);
        }

        /// <summary>A quoted lambda is data (an expression tree handed to code), not code to run: left as it is.</summary>
        protected override Expression VisitUnary(UnaryExpression node) =>
            node.NodeType == ExpressionType.Quote ? node : base.VisitUnary(node);

        /// <summary>
        /// A lambda invoked where it stands is compiled inline, with no delegate at all; making it a constant would add a
        /// delegate call. Only the lambdas inside it are considered.
        /// </summary>
        protected override Expression VisitInvocation(InvocationExpression node)
        {
            if (node.Expression is not LambdaExpression lambda)
            {
                return base.VisitInvocation(node);
            }

            var body = Visit(lambda.Body);
            var arguments = Visit(node.Arguments);
            var inlined = body == lambda.Body ? lambda : Expression.Lambda(lambda.Type, body, lambda.Name, lambda.TailCall, lambda.Parameters);
            return node.Update(inlined, arguments);
        }
    }

    /// <summary>Whether a lambda reads a parameter or variable it does not declare itself.</summary>
    private sealed class FreeVariables : ExpressionVisitor
    {
        private readonly Dictionary<ParameterExpression, int> _declared = [];
        private bool _found;

        public static bool AnyIn(LambdaExpression lambda)
        {
            var finder = new FreeVariables();
            finder.Visit(lambda);
            return finder._found;
        }

        public override Expression? Visit(Expression? node) => _found ? node : base.Visit(node);

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found |= !_declared.ContainsKey(node);
            return node;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            Declare(node.Parameters);
            Visit(node.Body);
            Undeclare(node.Parameters);
            return node;
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            Declare(node.Variables);
            Visit(node.Expressions);
            Undeclare(node.Variables);
            return node;
        }

        protected override CatchBlock VisitCatchBlock(CatchBlock node)
        {
            ParameterExpression[] variable = node.Variable is { } declared ? [declared] : [];
            Declare(variable);
            Visit(node.Filter);
            Visit(node.Body);
            Undeclare(variable);
            return node;
        }

        private void Declare(IEnumerable<ParameterExpression> parameters)
        {
            foreach (var parameter in parameters)
            {
                _declared[parameter] = _declared.GetValueOrDefault(parameter) + 1;
            }
        }

        private void Undeclare(IEnumerable<ParameterExpression> parameters)
        {
            foreach (var parameter in parameters)
            {
                if (--_declared[parameter] == 0)
                {
                    _declared.Remove(parameter);
                }
            }
        }
    }
}
