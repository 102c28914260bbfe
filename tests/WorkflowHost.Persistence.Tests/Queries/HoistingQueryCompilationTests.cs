using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Sqlite.Query.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Query.Internal;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Queries;
using WorkflowHost.Testing;

// The stock factories are EF Core's internal API; the tests name them to compare the host's contexts with EF Core's own.
#pragma warning disable EF1001

namespace WorkflowHost.Persistence.Tests.Queries;

/// <summary>
/// Queries compiled with their closed lambdas hoisted (decision 165) answer as EF Core's own compilation does, on a real
/// SQLite file and a real PostgreSQL database, for the shapes the host uses: a collection in a projection, a left join, an
/// include, a grouping, a correlated subquery, captured values; and they allocate less per execution.
/// </summary>
public abstract class HoistingQueryCompilationTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    /// <summary>EF Core's own query compilation for this provider, for the comparison.</summary>
    protected abstract void UseStockCompilation(DbContextOptionsBuilder builder);

    public async ValueTask InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        await using var db = Context(hoisting: true);
        db.Communities.Add(new Community { Id = "c1", NameZh = "社区", NameEn = "Community", StreetZh = "街道", StreetEn = "Street" });
        db.Units.Add(new ResidentUnit { Id = "u1", CommunityId = "c1", NameZh = "单位", NameEn = "Unit", Kind = "enterprise" });
        for (var i = 0; i < 6; i++)
        {
            var person = new Person { Id = $"p{i}", CommunityId = "c1", NameZh = $"人{i}", NameEn = $"Person {i}", UnitId = i % 2 == 0 ? "u1" : null };
            for (var r = 0; r < i % 3; r++)
            {
                person.Roles.Add(new PersonRole { PersonId = person.Id, Role = $"role-{r}" });
            }

            db.People.Add(person);
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await _database.DisposeAsync();
    }

    [Fact]
    public void The_host_s_contexts_compile_their_queries_with_the_hoisting_factory()
    {
        using var db = Context(hoisting: true);

        var factory = ((Microsoft.EntityFrameworkCore.Infrastructure.IInfrastructure<IServiceProvider>)db).Instance
            .GetService(typeof(IQueryCompilationContextFactory));

        Assert.Contains("Hoisting", factory!.GetType().Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_query_shape_answers_as_EF_Core_s_own_compilation_does()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        foreach (var hoisting in new[] { false, true })
        {
            await using var db = Context(hoisting);
            Answers.Add(hoisting, await AnswersAsync(db, cancellationToken));
        }

        Assert.Equal(Answers[false], Answers[true]);
        Assert.Contains("p2:role-0,role-1", Answers[true]);
        Assert.Contains("missing:none", Answers[true]);
    }

    [Fact]
    public void A_compiled_query_with_a_collection_in_its_projection_allocates_less_per_execution()
    {
        // Synchronous on purpose: the whole execution runs on this thread, so its allocation counter sees all of it and
        // nothing of other tests.
        var stock = BytesPerExecution(hoisting: false);
        var hoisted = BytesPerExecution(hoisting: true);

        TestContext.Current.TestOutputHelper?.WriteLine($"stock {stock} B, hoisted {hoisted} B per execution");
        Assert.True(hoisted + 150 < stock, $"stock {stock} B, hoisted {hoisted} B per execution");
    }

    private Dictionary<bool, List<string>> Answers { get; } = [];

    private static readonly CompiledPerModel<Func<WorkflowDbContext, string, PersonWithRoles?>> PersonWithRolesQuery = new(() => EF.CompileQuery(
        (WorkflowDbContext db, string id) => (
                from c in db.Communities
                from p in db.People.Where(p => p.Id == id && p.CommunityId == c.Id).DefaultIfEmpty()
                select new PersonWithRoles(c.Id, (string?)p!.Id, p.Roles.OrderBy(r => r.Role).Select(r => r.Role).ToList()))
            .FirstOrDefault()));

    private static async Task<List<string>> AnswersAsync(WorkflowDbContext db, CancellationToken cancellationToken)
    {
        var answers = new List<string>();
        foreach (var id in new[] { "p0", "p1", "p2", "p5", "missing" })
        {
            var read = PersonWithRolesQuery.For(db)(db, id)!;
            answers.Add($"{read.PersonId ?? id}:{(read.Roles.Count == 0 ? "none" : string.Join(",", read.Roles))}");
        }

        var included = await db.People.AsNoTracking().Include(p => p.Roles).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        answers.AddRange(included.Select(p => $"include {p.Id}:{string.Join(",", p.Roles.Select(r => r.Role).Order())}"));

        var groups = await db.People.GroupBy(p => p.UnitId).Select(g => new { g.Key, Count = g.Count() }).OrderBy(g => g.Key).ToListAsync(cancellationToken);
        answers.AddRange(groups.Select(g => $"unit {g.Key ?? "none"}:{g.Count}"));

        var withRoles = await db.People.Where(p => db.PersonRoles.Any(r => r.PersonId == p.Id && r.Role == "role-1")).Select(p => p.Id).OrderBy(id => id).ToListAsync(cancellationToken);
        answers.Add("role-1 holders " + string.Join(",", withRoles));

        foreach (var prefix in new[] { "人1", "人4" })
        {
            var named = await db.People.Where(p => p.NameZh == prefix).Select(p => new { p.Id, Count = p.Roles.Count }).SingleAsync(cancellationToken);
            answers.Add($"named {prefix}:{named.Id}/{named.Count}");
        }

        return answers;
    }

    private long BytesPerExecution(bool hoisting)
    {
        const int Runs = 60;
        using var db = Context(hoisting);
        db.Database.OpenConnection();
        for (var i = 0; i < 10; i++)
        {
            _ = PersonWithRolesQuery.For(db)(db, "p2");
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Runs; i++)
        {
            _ = PersonWithRolesQuery.For(db)(db, "p2");
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Runs;
    }

    private WorkflowDbContext Context(bool hoisting)
    {
        var builder = _database.ContextOptions();
        if (!hoisting)
        {
            UseStockCompilation(builder);
        }

        return new WorkflowDbContext(builder.Options);
    }

    private sealed record PersonWithRoles(string CommunityId, string? PersonId, List<string> Roles);
}

public sealed class SqliteHoistingQueryCompilationTests : HoistingQueryCompilationTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync()
    {
        var database = new SqliteTestDatabase();
        database.StartFromMigratedTemplate();
        return Task.FromResult<TestDatabase>(database);
    }

    protected override void UseStockCompilation(DbContextOptionsBuilder builder) =>
        builder.ReplaceService<IQueryCompilationContextFactory, SqliteQueryCompilationContextFactory>();
}

public sealed class PostgreSqlHoistingQueryCompilationTests : HoistingQueryCompilationTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync(migrated: true);

    protected override void UseStockCompilation(DbContextOptionsBuilder builder) =>
        builder.ReplaceService<IQueryCompilationContextFactory, NpgsqlQueryCompilationContextFactory>();
}
