using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// Every step rewrites its instance's row and no indexed column of it. PostgreSQL keeps such an update on the row's own
/// page, without an entry in any of the table's indexes (a HOT update), only when the page has room for the new version;
/// docs/benchmarks.md 23b found half of a vote's state updates leaving their page, each then writing all five indexes.
/// The instances' table is filled to 70 % on insert (decision 184): here a freshly migrated database is given enough
/// instances to fill several pages, and an update of a row on a page that inserts already left behind must stay on it.
/// </summary>
public sealed class InstanceUpdatesStayOnTheirPageTests
{
    [Fact]
    public async Task A_state_update_of_an_instance_on_a_page_filled_by_inserts_stays_on_that_page()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        await flow.AcceptAsync(id);

        await using var db = await host.OpenDbAsync();
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        // Copies of the instance (the same state's size), inserted as new instances are: the pages fill in order.
        await using (var copies = new NpgsqlCommand(
            """
            INSERT INTO "Instances" SELECT (jsonb_populate_record(NULL::"Instances", to_jsonb(i) || jsonb_build_object('Id', gen_random_uuid(), 'SubjectKey', NULL))).*
              FROM "Instances" i, generate_series(1, 40) WHERE i."Id" = @id
            """, connection))
        {
            copies.Parameters.AddWithValue("id", id);
            await copies.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // A row on the second page, which inserts left for the third: as full as they fill a page.
        var (row, page, lastPage) = await ScalarsAsync(connection,
            """
            SELECT "Id", (ctid::text::point)[0]::int, (SELECT max((ctid::text::point)[0])::int FROM "Instances")
            FROM "Instances" WHERE (ctid::text::point)[0] = 1 LIMIT 1
            """);
        Assert.True(lastPage > 1, $"the copies filled {lastPage + 1} pages; the test needs a page that inserts left behind");

        // What a step writes: the state, its version and the journal's head, never an indexed column.
        var (_, after, _) = await ScalarsAsync(connection,
            $"""
            UPDATE "Instances" SET "StateJson" = "StateJson" || ' ', "Version" = "Version" + 1, "JournalSequence" = "JournalSequence" + 1, "UpdatedAt" = now()
            WHERE "Id" = '{row}' RETURNING "Id", (ctid::text::point)[0]::int, 0
            """);
        Assert.Equal(page, after);
    }

    private static async Task<(Guid Id, int Page, int Other)> ScalarsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        return (reader.GetGuid(0), reader.GetInt32(1), reader.GetInt32(2));
    }
}
