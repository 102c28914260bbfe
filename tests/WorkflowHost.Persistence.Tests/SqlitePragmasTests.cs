using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Tests.Support;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests;

/// <summary>
/// The connection settings are sent once per native connection, not on every open (issue 18), and a pooled connection
/// still has them: proven on a real SQLite file by changing a setting behind the interceptor's back and opening again.
/// </summary>
[Collection(SqlitePoolAlone.Name)]
public sealed class SqlitePragmasTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_new_native_connection_gets_every_setting()
    {
        await using var db = _database.NewContext();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);

        Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
        Assert.Equal(2L, await PragmaAsync(db, "synchronous")); // FULL
        Assert.Equal(1L, await PragmaAsync(db, "foreign_keys"));
        Assert.Equal(30000L, await PragmaAsync(db, "busy_timeout"));
    }

    [Fact]
    public async Task An_open_from_the_pool_sends_nothing_and_a_cleared_pool_starts_again()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using (var first = _database.NewContext())
        {
            await first.Database.OpenConnectionAsync(cancellation);
            await first.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout=1234;", cancellation);
        }

        await using (var pooled = _database.NewContext())
        {
            await pooled.Database.OpenConnectionAsync(cancellation);
            // Had the settings been sent again, this would read 30000.
            Assert.Equal(1234L, await PragmaAsync(pooled, "busy_timeout"));
            Assert.Equal(1L, await PragmaAsync(pooled, "foreign_keys"));
        }

        SqliteConnection.ClearAllPools();
        await using var fresh = _database.NewContext();
        await fresh.Database.OpenConnectionAsync(cancellation);
        Assert.Equal(30000L, await PragmaAsync(fresh, "busy_timeout"));
    }

    private static async Task<object?> PragmaAsync(WorkflowDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
