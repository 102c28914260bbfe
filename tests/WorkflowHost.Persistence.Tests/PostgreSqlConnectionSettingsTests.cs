using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Tests.Support;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests;

/// <summary>
/// Decision 159 on a real server: the host's contexts prepare their repeated statements on each physical connection,
/// unless the operator's connection string says otherwise, and still reset a pooled session; a statement prepared
/// before a schema change still answers after it.
/// </summary>
public sealed class PostgreSqlConnectionSettingsTests : IAsyncLifetime
{
    /// <summary>Npgsql prepares a statement on its fifth execution on a connection (its default, which the host keeps).</summary>
    private const int UsesBeforePrepared = 5;

    private WorkflowTestHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync());

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private PostgreSqlTestDatabase Database => (PostgreSqlTestDatabase)_host.Database;

    [Fact]
    public async Task The_host_s_contexts_prepare_repeated_statements()
    {
        await using var db = await _host.OpenDbAsync();
        var settings = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());

        Assert.Equal(PostgreSqlConnectionDefaults.MaxAutoPrepare, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);
        Assert.Equal(new NpgsqlConnectionStringBuilder(Database.ConnectionString).Database, settings.Database);
        Assert.Equal(50, settings.MaxPoolSize);
        Assert.True(await PreparedAfterRepeatedReadsAsync(db) > 0, "the repeated read was not prepared on its connection");
    }

    [Fact]
    public async Task A_pooled_connection_keeps_its_prepared_statements_and_loses_its_session_settings()
    {
        var cancellation = TestContext.Current.CancellationToken;
        // A pool of its own, so that the second open gets the first one's physical connection back; another test class
        // disposing its database clears every pool (TestDatabase), so a lost connection is tried again, a few times.
        await using var db = ContextOn(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { ApplicationName = "reset-probe" }.ConnectionString);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var prepared = await PreparedAfterRepeatedReadsAsync(db);
            var backend = await ScalarAsync<int>(db, "SELECT pg_backend_pid()");
            await ScalarAsync<string>(db, "SELECT set_config('work_mem', '1234kB', false)");
            await db.Database.CloseConnectionAsync();

            await db.Database.OpenConnectionAsync(cancellation);
            if (backend != await ScalarAsync<int>(db, "SELECT pg_backend_pid()"))
            {
                await db.Database.CloseConnectionAsync();
                continue;
            }

            Assert.NotEqual("1234kB", await ScalarAsync<string>(db, "SHOW work_mem"));
            Assert.True(prepared > 0);
            Assert.Equal(prepared, await ScalarAsync<long>(db, "SELECT count(*) FROM pg_prepared_statements"));
            return;
        }

        Assert.Fail("the pool never handed the same physical connection back");
    }

    [Theory]
    [InlineData("Max Auto Prepare=0")]
    [InlineData("MaxAutoPrepare=0")]
    [InlineData("maxautoprepare = 0")]
    public async Task An_operator_s_explicit_values_win(string written)
    {
        await using var db = ContextOn(Database.ConnectionString + ";" + written);
        var settings = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());

        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.Equal(0, await PreparedAfterRepeatedReadsAsync(db));
    }

    [Fact]
    public async Task An_operator_s_other_values_are_kept_beside_the_defaults()
    {
        var written = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { AutoPrepareMinUsages = 2, ApplicationName = "committee-host", MaxAutoPrepare = 7 };
        await using var db = ContextOn(written.ConnectionString);
        var settings = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());

        Assert.Equal(7, settings.MaxAutoPrepare);
        Assert.Equal(2, settings.AutoPrepareMinUsages);
        Assert.Equal("committee-host", settings.ApplicationName);
        Assert.Equal(written.Password, settings.Password);
    }

    [Fact]
    public async Task A_statement_prepared_before_a_schema_change_still_answers_after_it()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var db = await _host.OpenDbAsync();
        Assert.True(await PreparedAfterRepeatedReadsAsync(db) > 0);
        var before = await CommitteeMembersAsync(db);

        // What a migration run by another host does while this one's connections hold prepared statements.
        await using (var other = new NpgsqlConnection(Database.ConnectionString))
        {
            await other.OpenAsync(cancellation);
            await using var change = new NpgsqlCommand(
                """ALTER TABLE "PersonRoles" ADD COLUMN "Probe" integer; CREATE INDEX "IX_Probe" ON "PersonRoles" ("Probe", "Role");""", other);
            await change.ExecuteNonQueryAsync(cancellation);
        }

        Assert.Equal(before, await CommitteeMembersAsync(db));
        Assert.Equal(14, before);
    }

    /// <summary>A context configured as the host configures its own, on another connection string.</summary>
    private WorkflowDbContext ContextOn(string connectionString)
    {
        var options = new PersistenceOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = connectionString };
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        PersistenceServiceCollectionExtensions.Configure(builder, options, Database.ContentRoot);
        return new WorkflowDbContext(builder.Options);
    }

    /// <summary>Runs one read enough times on one physical connection to be prepared, then counts what the session holds.</summary>
    private static async Task<long> PreparedAfterRepeatedReadsAsync(WorkflowDbContext db)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await db.Database.OpenConnectionAsync(cancellation);
        for (var use = 0; use < UsesBeforePrepared + 1; use++)
        {
            await CommitteeMembersAsync(db);
        }

        return await ScalarAsync<long>(db, "SELECT count(*) FROM pg_prepared_statements");
    }

    private static async Task<T> ScalarAsync<T>(WorkflowDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static Task<int> CommitteeMembersAsync(WorkflowDbContext db) =>
        db.PersonRoles.CountAsync(r => r.Role == "committee-member", TestContext.Current.CancellationToken);
}
