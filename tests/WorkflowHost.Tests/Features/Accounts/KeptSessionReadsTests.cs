using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// The session check on SQLite's kept readers (decision 162), through the real host and a real SQLite file: its statement
/// prepared once on a connection that stays open (SQLite's own count), and a session ended, an account locked or a
/// security stamp changed through another connection refused on the very next check by that same open reader.
/// </summary>
public sealed class KeptSessionReadsTests
{
    /// <summary>One reader, so that every check of these tests runs on the same connection.</summary>
    private static HostFactory OneReader() => new(new Dictionary<string, string?> { ["Persistence:KeptReaders"] = "1" });

    [Fact]
    public async Task Twenty_checks_run_the_session_statement_that_SQLite_prepared_once_on_one_open_connection()
    {
        await using var factory = OneReader();
        var tokens = await SessionTests.SignInAsync(factory, People.Member);
        var readers = factory.Services.GetRequiredService<SqliteKeptReaders>();
        var connection = await SqliteStatementProbe.TrackedReaderAsync(readers, TestContext.Current.CancellationToken);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SessionTests.MeAsync(factory, tokens.Access));
        }

        var (sql, runs) = Assert.Single(SqliteStatementProbe.Statements(connection));
        Assert.Contains("\"AccountSessions\"", sql, StringComparison.Ordinal);
        Assert.Equal(20, runs);
        Assert.Equal(1, readers.Opened);
        Assert.Equal(0, readers.ReadsElsewhere + readers.ReadsFailed);
    }

    [Fact]
    public async Task An_ended_session_a_locked_account_and_a_changed_stamp_are_each_refused_on_the_next_check_by_the_same_open_reader()
    {
        await using var factory = OneReader();
        var ended = await SessionTests.SignInAsync(factory, People.Member);
        var locked = await SessionTests.SignInAsync(factory, People.Office);
        var restamped = await SessionTests.SignInAsync(factory, People.Liaison);
        var readers = factory.Services.GetRequiredService<SqliteKeptReaders>();
        foreach (var access in new[] { ended.Access, locked.Access, restamped.Access })
        {
            Assert.Equal(HttpStatusCode.OK, await SessionTests.MeAsync(factory, access));
        }

        var reader = Assert.Single(readers.IdleConnections);
        var registration = SqliteKeptStatements.On(reader);
        Assert.NotNull(registration);

        // Ended through the service's own context (another connection of the pool).
        var accountId = await SessionTests.AccountIdAsync(factory, People.Member);
        Assert.Equal(1, await factory.Services.GetRequiredService<AccountSessions>().EndAllAsync(accountId, "test", null, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionTests.MeAsync(factory, ended.Access));
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MeAsync(factory, locked.Access));

        // Locked through Identity's user manager (a scoped context).
        await SessionTests.SetLockoutAsync(factory, People.Office, factory.Time.GetUtcNow().AddDays(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionTests.MeAsync(factory, locked.Access));
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MeAsync(factory, restamped.Access));

        // The stamp changed by a connection outside the host's pool altogether, as another host's would be.
        await using (var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(factory.DataFolder, "workflowhost.db"), Pooling = false }.ToString()))
        {
            await other.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = other.CreateCommand();
            command.CommandText = "UPDATE Accounts SET SecurityStamp = 'changed-elsewhere' WHERE PersonId = $person";
            command.Parameters.AddWithValue("$person", People.Liaison);
            Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SessionTests.MeAsync(factory, restamped.Access));

        // Every check ran on the one reader, open throughout.
        Assert.Same(reader, Assert.Single(readers.IdleConnections));
        Assert.Same(registration, SqliteKeptStatements.On(reader));
        Assert.Equal(System.Data.ConnectionState.Open, reader.State);
        Assert.Equal(1, readers.Opened);
        Assert.Equal(0, readers.ReadsElsewhere + readers.ReadsFailed);
    }

    [Fact]
    public async Task A_reader_whose_connection_was_closed_is_replaced_and_the_next_check_answers()
    {
        await using var factory = OneReader();
        var tokens = await SessionTests.SignInAsync(factory, People.Member);
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MeAsync(factory, tokens.Access));
        var readers = factory.Services.GetRequiredService<SqliteKeptReaders>();
        var reader = Assert.Single(readers.IdleConnections);
        var registration = SqliteKeptStatements.On(reader);

        await reader.CloseAsync();

        Assert.Equal(HttpStatusCode.OK, await SessionTests.MeAsync(factory, tokens.Access));
        var replaced = Assert.Single(readers.IdleConnections);
        Assert.Equal(System.Data.ConnectionState.Open, replaced.State);
        Assert.NotSame(registration, SqliteKeptStatements.On(replaced));
        Assert.Equal(2, readers.Opened);
    }

    [Fact]
    public async Task Thirty_two_checks_at_once_on_one_reader_each_get_their_own_session_s_answer()
    {
        await using var factory = OneReader();
        var active = await SessionTests.SignInAsync(factory, People.Member);
        var ended = await SessionTests.SignInAsync(factory, People.Office);
        var accountId = await SessionTests.AccountIdAsync(factory, People.Office);
        await factory.Services.GetRequiredService<AccountSessions>().EndAllAsync(accountId, "test", null, TestContext.Current.CancellationToken);

        var checks = Enumerable.Range(0, 32).Select(i => Task.Run(() => SessionTests.MeAsync(factory, i % 2 == 0 ? active.Access : ended.Access))).ToArray();
        var answers = await Task.WhenAll(checks);

        Assert.Equal(Enumerable.Range(0, 32).Select(i => i % 2 == 0 ? HttpStatusCode.OK : HttpStatusCode.Unauthorized), answers);
        var readers = factory.Services.GetRequiredService<SqliteKeptReaders>();
        Assert.Equal(1, readers.Opened);
        Assert.Equal(0, readers.ReadsFailed);
        Assert.Single(readers.IdleConnections);
    }

    [Fact]
    public async Task With_kept_readers_turned_off_there_are_none_and_the_check_still_refuses_an_ended_session()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Persistence:KeptReaders"] = "0" });
        var tokens = await SessionTests.SignInAsync(factory, People.Member);
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MeAsync(factory, tokens.Access));

        Assert.Null(factory.Services.GetService<SqliteKeptReaders>());
        var accountId = await SessionTests.AccountIdAsync(factory, People.Member);
        await factory.Services.GetRequiredService<AccountSessions>().EndAllAsync(accountId, "test", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionTests.MeAsync(factory, tokens.Access));
    }

    [Fact]
    public async Task PostgreSQL_keeps_no_readers_and_its_check_still_refuses_an_ended_session()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync(migrated: true);
        await using var factory = new HostFactory(postgreSql: database);
        var tokens = await SessionTests.SignInAsync(factory, People.Member);
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MeAsync(factory, tokens.Access));

        Assert.Null(factory.Services.GetService<SqliteKeptReaders>());
        var accountId = await SessionTests.AccountIdAsync(factory, People.Member);
        await factory.Services.GetRequiredService<AccountSessions>().EndAllAsync(accountId, "test", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionTests.MeAsync(factory, tokens.Access));
    }
}
