using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.PostgreSql;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests.PostgreSql;

/// <summary>
/// PostgreSQL commands sent in positional form (decision 188) do what EF Core's named commands do, on a real server: the
/// same rows written and read for awkward values, the same errors, several statements still one unit; interceptors still
/// see every command; and Npgsql's per-execution rewrite is gone from the allocations.
/// </summary>
public sealed class PositionalCommandTests : IAsyncLifetime
{
    private PostgreSqlTestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync(migrated: true);

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_host_s_contexts_send_queries_saves_and_several_statements_positional()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var seen = new CommandCapture();
        await using var db = Context(positional: true, seen);

        db.Communities.Add(Community("c-one", "one"));
        await db.SaveChangesAsync(cancellationToken);
        var id = "c-one";
        Assert.Equal("one", await db.Communities.Where(c => c.Id == id).Select(c => c.NameEn).SingleAsync(cancellationToken));
        Assert.Equal(2, await TwoUpdates(db).ExecuteNonQueryAsync(Run(db, ("id", "c-one"), ("a", "x"), ("b", "y")), cancellationToken));

        Assert.IsType<PositionalCommandBuilderFactory>(db.GetService<IRelationalCommandBuilderFactory>());
        Assert.Equal(3, seen.Commands.Count);
        Assert.All(seen.Commands, c =>
        {
            Assert.DoesNotContain("@", c.Text, StringComparison.Ordinal);
            Assert.Contains("$1", c.Text, StringComparison.Ordinal);
            Assert.All(c.Names, name => Assert.Equal("", name));
        });
        Assert.All(seen.Commands, c => Assert.IsType<PositionalDbCommand>(c.Command));
    }

    [Fact]
    public async Task A_command_is_kept_with_its_parameters_for_the_next_execution_and_one_that_failed_is_let_go()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var seen = new CommandCapture();
        await using var db = Context(positional: true, seen);
        db.Communities.AddRange(Community("c-a", "alpha"), Community("c-b", "beta"));
        await db.SaveChangesAsync(cancellationToken);
        seen.Commands.Clear();

        foreach (var (id, name) in new[] { ("c-a", "alpha"), ("c-b", "beta"), ("c-none", null) })
        {
            Assert.Equal(name, await db.Communities.Where(c => c.Id == id).Select(c => c.NameEn).SingleOrDefaultAsync(cancellationToken));
        }

        Assert.Equal(3, seen.Commands.Count);
        Assert.Same(seen.Commands[0].Command, seen.Commands[1].Command);
        Assert.Same(seen.Commands[1].Command, seen.Commands[2].Command);
        Assert.Equal(["c-a", "c-b", "c-none"], seen.Commands.Select(c => c.Values.Single()));
        Assert.Same(seen.Commands[0].Parameters.Single(), seen.Commands[2].Parameters.Single());

        // A failed execution's command is not kept: the next execution of the same text makes another.
        seen.Commands.Clear();
        var updates = TwoUpdates(db);
        await Assert.ThrowsAsync<PostgresException>(() => updates.ExecuteNonQueryAsync(Run(db, ("id", "c-a"), ("a", "x"), ("b", new string('x', 200))), cancellationToken));
        Assert.Equal(2, await updates.ExecuteNonQueryAsync(Run(db, ("id", "c-a"), ("a", "x"), ("b", "y")), cancellationToken));
        Assert.Equal(1, await updates.ExecuteNonQueryAsync(Run(db, ("id", "c-b"), ("a", null), ("b", "z")), cancellationToken) / 2);
        Assert.Equal(3, seen.Commands.Count);
        Assert.NotSame(seen.Commands[0].Command, seen.Commands[1].Command);
        Assert.Same(seen.Commands[1].Command, seen.Commands[2].Command);
        await using var check = Context(positional: false);
        Assert.Equal(["x;", "z'"], await check.Communities.Where(c => c.Id == "c-a" || c.Id == "c-b").OrderBy(c => c.Id).Select(c => c.Id == "c-a" ? c.NameZh : c.StreetZh).ToListAsync(cancellationToken));
    }

    [Fact]
    public async Task Executions_at_once_on_many_connections_each_get_their_own_values()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var db = Context(positional: true))
        {
            db.Communities.AddRange(Enumerable.Range(0, 40).Select(i => Community($"c-{i}", $"name {i}")));
            await db.SaveChangesAsync(cancellationToken);
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var n = worker * 5 + i % 5; // each worker its own rows, so only the commands are shared
                await using var db = Context(positional: true);
                var id = $"c-{n}";
                Assert.Equal($"name {n}", await db.Communities.Where(c => c.Id == id).Select(c => c.NameEn).SingleAsync(cancellationToken));
                Assert.Equal(2, await TwoUpdates(db).ExecuteNonQueryAsync(Run(db, ("id", id), ("a", $"w{worker}"), ("b", $"i{i}")), cancellationToken));
                Assert.Equal($"w{worker};|i{i}w{worker}", await db.Communities.Where(c => c.Id == id).Select(c => c.NameZh + "|" + c.StreetZh).SingleAsync(cancellationToken));
            }
        }, cancellationToken)));
    }

    [Fact]
    public async Task Awkward_values_are_written_and_read_as_EF_Core_s_named_commands_write_and_read_them()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var random = new Random(186);
        await using var positional = Context(positional: true);
        await using var named = Context(positional: false);
        var outcomes = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            var (first, second) = (Awkward(random), Awkward(random));
            var id = $"c{i}";
            var byPositional = await OutcomeAsync(positional, id + "-p", first, second, cancellationToken);
            var byNamed = await OutcomeAsync(named, id + "-n", first, second, cancellationToken);

            Assert.Equal(byNamed, byPositional);
            outcomes.Add(byPositional);
        }

        // Both ways, and not vacuously: most rows are written, changed twice and found, and some values are refused.
        Assert.True(outcomes.Count(o => o.StartsWith("saved\n1\n2\n", StringComparison.Ordinal) && !o.EndsWith('\n')) > 90, string.Join("\n\n", outcomes.Take(5)));
        Assert.Contains(outcomes, o => o.Contains(PostgresErrorCodes.StringDataRightTruncation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_statement_undoes_the_statements_before_it_in_the_same_command()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var db = Context(positional: true);
        db.Communities.Add(Community("c-batch", "before"));
        await db.SaveChangesAsync(cancellationToken);

        // The second statement overflows varchar(200): PostgreSQL refuses it, and the first update goes with it.
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            TwoUpdates(db).ExecuteNonQueryAsync(Run(db, ("id", "c-batch"), ("a", "after"), ("b", new string('x', 200))), cancellationToken));

        Assert.Equal(PostgresErrorCodes.StringDataRightTruncation, error.SqlState);
        await using var check = Context(positional: false);
        Assert.Equal("before", await check.Communities.Where(c => c.Id == "c-batch").Select(c => c.NameEn).SingleAsync(cancellationToken));
    }

    [Fact]
    public async Task A_command_an_interceptor_supplies_is_filled_as_EF_Core_fills_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var supplier = new SuppliesItsOwnCommand();
        await using var db = Context(positional: true, supplier);
        db.Communities.Add(Community("c-own", "own"));
        await db.SaveChangesAsync(cancellationToken);

        var id = "c-own";
        Assert.Equal("own", await db.Communities.Where(c => c.Id == id).Select(c => c.NameEn).SingleAsync(cancellationToken));

        Assert.Equal(2, supplier.Supplied.Count);
        Assert.All(supplier.Supplied, text => Assert.Contains("@", text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_query_no_longer_pays_Npgsql_s_rewrite_on_each_execution()
    {
        // Synchronous on purpose: the execution runs on this thread, so its allocation counter sees all of it.
        var named = BytesPerExecution(positional: false);
        var positional = BytesPerExecution(positional: true);

        TestContext.Current.TestOutputHelper?.WriteLine($"named {named} B, positional {positional} B per execution");
        // The rewritten text alone is the query's length in UTF-16, twice over (the text and its statement's copy).
        Assert.True(positional + 1_000 < named, $"named {named} B, positional {positional} B per execution");
    }

    private long BytesPerExecution(bool positional)
    {
        using var db = Context(positional);
        const string prefix = "nobody-";
        var ids = new[] { "c1", "c2", "c3" };
        Query(db, prefix, ids);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            Query(db, prefix, ids);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 20;
    }

    // A query as long as the host's step read is, with a list, a nullable comparison and literals in quotes.
    private static void Query(WorkflowDbContext db, string prefix, string[] ids) =>
        Assert.Empty(db.Communities.AsNoTracking()
            .Where(c => (ids.Contains(c.Id) || c.NameEn.StartsWith(prefix)) && c.StreetEn != "it's; -- $1 @p0")
            .Where(c => db.Units.Any(u => u.CommunityId == c.Id && u.NameEn != "unit's") || c.DistrictEn == prefix || c.DistrictZh == prefix || c.StreetZh == prefix)
            .OrderBy(c => c.NameZh).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.NameEn, c.NameZh, c.StreetEn, c.StreetZh, c.DistrictEn, c.DistrictZh, c.DirectoryVersion, Units = db.Units.Count(u => u.CommunityId == c.Id) })
            .ToList());

    /// <summary>Writes a row by a save, changes it by a bulk update and by two statements at once, and reads it back: what happened, as text.</summary>
    private static async Task<string> OutcomeAsync(WorkflowDbContext db, string id, string? first, string? second, CancellationToken cancellationToken)
    {
        var steps = new List<string>();
        db.ChangeTracker.Clear();
        steps.Add(await Attempt(async () =>
        {
            db.Communities.Add(Community(id, first ?? ""));
            await db.SaveChangesAsync(cancellationToken);
            return "saved";
        }));
        db.ChangeTracker.Clear();
        steps.Add(await Attempt(async () => (await db.Communities.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.StreetEn, second ?? ""), cancellationToken)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        steps.Add(await Attempt(async () => (await TwoUpdates(db).ExecuteNonQueryAsync(Run(db, ("id", id), ("a", first), ("b", second)), cancellationToken)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var matches = new[] { first ?? "", second ?? "" };
        steps.Add(await Attempt(async () =>
        {
            var rows = await db.Communities.AsNoTracking()
                .Where(c => c.Id == id && (matches.Contains(c.NameEn) || c.StreetZh == second || c.NameZh.Contains(first ?? "")))
                .Select(c => new { c.NameZh, c.NameEn, c.StreetZh, c.StreetEn })
                .ToListAsync(cancellationToken);
            return string.Join(" | ", rows.Select(c => $"{c.NameZh} / {c.NameEn} / {c.StreetZh} / {c.StreetEn}"));
        }));
        return string.Join("\n", steps);
    }

    private static async Task<string> Attempt(Func<Task<string>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception e)
        {
            var inner = e.InnerException ?? e;
            return $"{inner.GetType().Name} {(inner as PostgresException)?.SqlState}";
        }
    }

    /// <summary>Two statements in one command, as the host's step write is: each sets a column from the values given.</summary>
    private static IRelationalCommand TwoUpdates(WorkflowDbContext db)
    {
        var helper = db.GetService<ISqlGenerationHelper>();
        var text = db.GetService<IRelationalTypeMappingSource>().FindMapping(typeof(string))!;
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create();
        foreach (var name in new[] { "id", "a", "b" })
        {
            builder.AddParameter(name, helper.GenerateParameterName(name), text, nullable: true);
        }

        builder.Append("UPDATE \"Communities\" SET \"NameZh\" = coalesce(@a, '') || ';' WHERE \"Id\" = @id;").AppendLine()
            .Append("UPDATE \"Communities\" SET \"StreetZh\" = coalesce(@b, '') || coalesce(@a, '''') WHERE \"Id\" = @id;").AppendLine();
        return builder.Build();
    }

    private static RelationalCommandParameterObject Run(WorkflowDbContext db, params (string Name, object? Value)[] values) =>
        new(db.GetService<IRelationalConnection>(), values.ToDictionary(v => v.Name, v => v.Value), null, db, db.GetService<IRelationalCommandDiagnosticsLogger>());

    private static string? Awkward(Random random) => random.Next(12) switch
    {
        0 => null,
        1 => "",
        2 => "it's @p0; -- $1 /* \"quoted\" */",
        3 => "$a$ $$ E'\\x' U&\"x\"",
        4 => "中文；社区 🏘️",
        5 => new string('y', random.Next(190, 210)),
        6 => "@a @b @id ;;",
        7 => "\\ \\\\ \\'",
        _ => new string(Enumerable.Range(0, random.Next(1, 40)).Select(_ => (char)random.Next(32, 0x2FFF)).Where(c => !char.IsSurrogate(c)).ToArray()),
    };

    private static Community Community(string id, string name) =>
        new() { Id = id, NameZh = name, NameEn = name, StreetZh = "", StreetEn = "" };

    private WorkflowDbContext Context(bool positional, params IInterceptor[] interceptors)
    {
        var builder = _database.ContextOptions();
        if (!positional)
        {
            builder.ReplaceService<IRelationalCommandBuilderFactory, RelationalCommandBuilderFactory>();
        }

        if (interceptors.Length > 0)
        {
            builder.AddInterceptors(interceptors);
        }

        return new WorkflowDbContext(builder.Options);
    }

    private sealed record Seen(DbCommand Command, string Text, IReadOnlyList<string> Names, IReadOnlyList<DbParameter> Parameters, IReadOnlyList<object?> Values);

    private sealed class CommandCapture : DbCommandInterceptor
    {
        public List<Seen> Commands { get; } = [];

        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            var parameters = result.Parameters.Cast<DbParameter>().ToList();
            Commands.Add(new Seen(result, result.CommandText, parameters.Select(p => p.ParameterName).ToList(), parameters, parameters.Select(p => p.Value).ToList()));
            return result;
        }
    }

    private sealed class SuppliesItsOwnCommand : DbCommandInterceptor
    {
        private readonly HashSet<DbCommand> _ours = [];

        /// <summary>The text of each command this interceptor supplied, as EF Core filled it.</summary>
        public List<string> Supplied { get; } = [];

        public override InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result)
        {
            var command = ((NpgsqlConnection)eventData.Connection).CreateCommand();
            _ours.Add(command);
            return InterceptionResult<DbCommand>.SuppressWithResult(command);
        }

        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            if (_ours.Remove(result))
            {
                Supplied.Add(result.CommandText);
            }

            return result;
        }
    }
}
