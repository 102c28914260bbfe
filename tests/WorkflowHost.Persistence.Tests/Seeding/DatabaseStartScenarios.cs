using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Seeding;

/// <summary>First start creates the schema and loads the seeds; later starts change neither.</summary>
public abstract class DatabaseStartScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task Seeds_load_once_and_are_never_duplicated()
    {
        var database = await CreateDatabaseAsync();
        await using var _ = database;
        await using (var first = await WorkflowTestHost.StartAsync(database))
        await using (var db = await first.OpenDbAsync())
        {
            Assert.Equal(14, await db.PersonRoles.CountAsync(r => r.Role == "committee-member"));
            Assert.Equal(10, await db.People.CountAsync(p => p.UnitId != null && p.Roles.Any(r => r.Role == "committee-member")));
        }

        await using var second = await WorkflowTestHost.StartAsync(database);
        await using var again = await second.OpenDbAsync();
        Assert.Equal(1, await again.Communities.CountAsync());
        Assert.Equal(14, await again.PersonRoles.CountAsync(r => r.Role == "committee-member"));
    }

    [Fact]
    public async Task The_migrations_match_the_model_and_are_all_applied()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        await using var db = await host.OpenDbAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration: run the command in docs/persistence.md");
    }
}

public sealed class SqliteDatabaseStartTests : DatabaseStartScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlDatabaseStartTests : DatabaseStartScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
