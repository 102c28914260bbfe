using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;

namespace WorkflowHost.Tests.Support;

/// <summary>
/// Every SQL command the host's <see cref="WorkflowDbContext"/>s send, with the request that sent it, so a test can count
/// what one request costs in round trips (issue 18: a regression check that times nothing). Commands sent outside a
/// request (the Hangfire server, the outboxes' loops, start-up) carry no request and are never counted, so background
/// work cannot make a count flaky. Hangfire's own storage does not go through EF Core and is not seen here.
/// </summary>
public sealed class SqlCommandLog
{
    private readonly ConcurrentQueue<(string RequestTag, string Sql, int Parameters)> _commands = new();

    /// <summary>The header a test sets to tag a request; commands of requests without it are not kept.</summary>
    public const string TagHeader = "X-Test-Sql-Tag";

    /// <summary>Adds the interceptor to the host's contexts (and the accessor it reads the current request from).</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.ConfigureDbContext<WorkflowDbContext>(builder => builder.AddInterceptors(new Interceptor(this), new TransactionEnds(this)));
    }

    private readonly ConcurrentQueue<(string RequestTag, string Statement)> _transactionEnds = new();

    /// <summary>
    /// The commits and rollbacks sent while serving <paramref name="tag"/>: each a round trip of its own on PostgreSQL,
    /// where the BEGIN rides on the transaction's first command (decision 168). Not commands, so not in <see cref="For"/>.
    /// </summary>
    public IReadOnlyList<string> TransactionEndsFor(string tag) => [.. _transactionEnds.Where(c => c.RequestTag == tag).Select(c => c.Statement)];

    private void RecordEnd(string statement)
    {
        if (new HttpContextAccessor().HttpContext?.Request.Headers[TagHeader].ToString() is { Length: > 0 } tag)
        {
            lock (_inOrder)
            {
                _transactionEnds.Enqueue((tag, statement));
                _inOrder.Add((tag, statement));
            }
        }
    }

    // The commands and the transaction ends together, in the order they were sent: which statements ran while a lock
    // taken by an earlier one was held (decision 180). Appended under one lock so a command and a commit never swap.
    private readonly List<(string RequestTag, string Sql)> _inOrder = [];

    /// <summary>
    /// The commands sent for <paramref name="tag"/> with its commits and rollbacks between them, each end as its own entry
    /// ("COMMIT", "ROLLBACK") where it was sent as a round trip of its own; a COMMIT sent inside a command is part of that
    /// command's text.
    /// </summary>
    public IReadOnlyList<string> InOrderFor(string tag)
    {
        lock (_inOrder)
        {
            return [.. _inOrder.Where(c => c.RequestTag == tag).Select(c => c.Sql)];
        }
    }

    private sealed class TransactionEnds(SqlCommandLog log) : DbTransactionInterceptor
    {
        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            log.RecordEnd("COMMIT");
            return base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
        }

        public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
        {
            log.RecordEnd("COMMIT");
            return base.TransactionCommitting(transaction, eventData, result);
        }

        public override ValueTask<InterceptionResult> TransactionRollingBackAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            log.RecordEnd("ROLLBACK");
            return base.TransactionRollingBackAsync(transaction, eventData, result, cancellationToken);
        }

        public override InterceptionResult TransactionRollingBack(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
        {
            log.RecordEnd("ROLLBACK");
            return base.TransactionRollingBack(transaction, eventData, result);
        }
    }

    /// <summary>The commands sent while serving the requests tagged <paramref name="tag"/>, in order.</summary>
    public IReadOnlyList<string> For(string tag) => [.. _commands.Where(c => c.RequestTag == tag).Select(c => c.Sql)];

    /// <summary>The commands sent for <paramref name="tag"/> with the number of parameters each bound, in order.</summary>
    public IReadOnlyList<(string Sql, int Parameters)> WithParametersFor(string tag) =>
        [.. _commands.Where(c => c.RequestTag == tag).Select(c => (c.Sql, c.Parameters))];

    /// <summary>The commands, one a line and shortened, for a failure message.</summary>
    public string Describe(string tag) =>
        string.Join("\n", For(tag).Select((sql, i) => $"{i + 1}. {OneLine(sql)}"));

    private static string OneLine(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length > 220 ? line[..220] + "…" : line;
    }

    private void Record(DbCommand command)
    {
        // HttpContextAccessor keeps the current request in a static AsyncLocal that the host sets once an accessor is
        // registered, so a fresh instance here sees the same request as the host's own.
        if (new HttpContextAccessor().HttpContext?.Request.Headers[TagHeader].ToString() is { Length: > 0 } tag)
        {
            lock (_inOrder)
            {
                _commands.Enqueue((tag, command.CommandText, command.Parameters.Count));
                _inOrder.Add((tag, command.CommandText));
            }
        }
    }

    private sealed class Interceptor(SqlCommandLog log) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            log.Record(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            log.Record(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            log.Record(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            log.Record(command);
            return base.ReaderExecuting(command, eventData, result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            log.Record(command);
            return base.NonQueryExecuting(command, eventData, result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            log.Record(command);
            return base.ScalarExecuting(command, eventData, result);
        }
    }
}
