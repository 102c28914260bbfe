using Microsoft.EntityFrameworkCore;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests;

/// <summary>
/// <see cref="WorkflowDbContext.OnPostgreSql"/>, asked by every step: the provider EF Core reports, found once per
/// context. EF Core's own <c>IsNpgsql()</c> reads the provider's assembly name on every call.
/// </summary>
public sealed class WorkflowDbContextProviderTests
{
    [Fact]
    public async Task On_SQLite_the_context_says_it_is_not_on_PostgreSQL_and_asking_again_allocates_nothing()
    {
        await using var database = new SqliteTestDatabase();
        await using var db = database.NewContext();

        Assert.False(db.OnPostgreSql);
        Assert.Equal(db.Database.IsNpgsql(), db.OnPostgreSql);
        Assert.Equal(0, BytesForAskingAgain(db));
    }

    [Fact]
    public async Task On_PostgreSQL_the_context_says_so_and_asking_again_allocates_nothing()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var db = database.NewContext();

        Assert.True(db.OnPostgreSql);
        Assert.Equal(db.Database.IsNpgsql(), db.OnPostgreSql);
        Assert.Equal(0, BytesForAskingAgain(db));
    }

    private static long BytesForAskingAgain(WorkflowDbContext db)
    {
        _ = db.OnPostgreSql;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = db.OnPostgreSql;
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
