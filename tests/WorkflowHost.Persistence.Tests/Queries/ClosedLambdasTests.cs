using System.Linq.Expressions;
using WorkflowHost.Persistence.Queries;

namespace WorkflowHost.Persistence.Tests.Queries;

/// <summary>
/// Closed nested lambdas compiled once (decision 165): the same delegate on every run, where the compiler's own nested
/// lambda is a new delegate each time; everything that reads an enclosing scope, is quoted or is invoked in place stays.
/// </summary>
public sealed class ClosedLambdasTests
{
    [Fact]
    public void A_nested_lambda_that_reads_nothing_of_its_scope_is_one_delegate_for_every_run()
    {
        Expression<Func<int, Func<int, int>>> makeAdder = x => y => y + 1;

        var plain = makeAdder.Compile();
        var hoisted = ClosedLambdas.Hoist(makeAdder).Compile();

        // The cost being removed: compiled as it stands, each run builds a new delegate.
        Assert.NotSame(plain(1), plain(2));
        Assert.Same(hoisted(1), hoisted(2));
        Assert.Equal(8, hoisted(1)(7));
        Assert.IsType<ConstantExpression>(ClosedLambdas.Hoist(makeAdder).Body);
    }

    [Fact]
    public void A_nested_lambda_that_reads_an_enclosing_parameter_stays_a_lambda_and_sees_each_runs_value()
    {
        Expression<Func<int, Func<int, int>>> makeAdder = x => y => y + x;

        var hoisted = ClosedLambdas.Hoist(makeAdder);

        Assert.IsAssignableFrom<LambdaExpression>(hoisted.Body);
        var compiled = hoisted.Compile();
        Assert.Equal(11, compiled(10)(1));
        Assert.Equal(21, compiled(20)(1));
    }

    [Fact]
    public void A_closed_lambda_inside_an_open_one_is_hoisted_and_the_open_one_kept()
    {
        Expression<Func<int, Func<int, int>>> outer = x => y => Apply(z => z * 2, y) + x;

        var hoisted = ClosedLambdas.Hoist(outer);

        var open = Assert.IsAssignableFrom<LambdaExpression>(hoisted.Body);
        var call = Assert.IsAssignableFrom<MethodCallExpression>(((BinaryExpression)open.Body).Left);
        Assert.IsType<ConstantExpression>(call.Arguments[0]);
        Assert.Equal(13, hoisted.Compile()(3)(5));
    }

    [Fact]
    public void A_block_variable_or_catch_variable_of_an_enclosing_scope_keeps_a_lambda_open()
    {
        var local = Expression.Variable(typeof(int), "local");
        var y = Expression.Parameter(typeof(int), "y");
        var readsLocal = Expression.Lambda<Func<int, int>>(Expression.Add(y, local), y);
        var body = Expression.Block([local], Expression.Assign(local, Expression.Constant(40)), readsLocal);
        var root = Expression.Lambda<Func<Func<int, int>>>(body);

        var hoisted = ClosedLambdas.Hoist(root);

        Assert.IsAssignableFrom<LambdaExpression>(((BlockExpression)hoisted.Body).Expressions[1]);
        Assert.Equal(42, hoisted.Compile()()(2));

        var error = Expression.Variable(typeof(Exception), "error");
        var readsError = Expression.Lambda<Func<string>>(Expression.Property(error, nameof(Exception.Message)));
        var tryCatch = Expression.TryCatch(
            Expression.Block(Expression.Throw(Expression.Constant(new InvalidOperationException("caught"))), Expression.Constant(null, typeof(Func<string>))),
            Expression.Catch(error, readsError));
        var catching = ClosedLambdas.Hoist(Expression.Lambda<Func<Func<string>>>(tryCatch));

        Assert.Equal("caught", catching.Compile()()());
    }

    [Fact]
    public void A_quoted_lambda_stays_an_expression_tree()
    {
        Expression<Func<int, Expression<Func<int, int>>>> quoting = x => y => y + 1;

        var hoisted = ClosedLambdas.Hoist(quoting);

        Assert.Equal(ExpressionType.Quote, hoisted.Body.NodeType);
        Assert.Equal(6, hoisted.Compile()(0).Compile()(5));
    }

    [Fact]
    public void A_lambda_invoked_where_it_stands_stays_inline()
    {
        var y = Expression.Parameter(typeof(int), "y");
        var x = Expression.Parameter(typeof(int), "x");
        var inline = Expression.Invoke(Expression.Lambda<Func<int, int>>(Expression.Multiply(y, Expression.Constant(3)), y), x);
        var root = Expression.Lambda<Func<int, int>>(inline, x);

        var hoisted = ClosedLambdas.Hoist(root);

        var invocation = Assert.IsAssignableFrom<InvocationExpression>(hoisted.Body);
        Assert.IsAssignableFrom<LambdaExpression>(invocation.Expression);
        Assert.Equal(12, hoisted.Compile()(4));
    }

    private static int Apply(Func<int, int> function, int value) => function(value);
}
