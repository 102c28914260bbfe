using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Communities.Import;

/// <summary>The import on a SQLite file and on PostgreSQL, CSV and .xlsx (<see cref="ImportScenarios"/>).</summary>
public sealed class ImportTests
{
    [Fact]
    public async Task A_valid_CSV_is_previewed_imported_and_the_second_time_changes_nothing_SQLite()
    {
        await using var factory = new HostFactory();
        await ImportScenarios.ValidFileTwiceAsync(factory, xlsx: false);
    }

    [Fact]
    public async Task A_valid_xlsx_is_previewed_imported_and_the_second_time_changes_nothing_SQLite()
    {
        await using var factory = new HostFactory();
        await ImportScenarios.ValidFileTwiceAsync(factory, xlsx: true);
    }

    [Fact]
    public async Task Bad_rows_are_each_named_and_nothing_is_written_SQLite()
    {
        await using var factory = new HostFactory();
        await ImportScenarios.BadRowsAsync(factory, xlsx: false);
        await ImportScenarios.BadRowsAsync(factory, xlsx: true);
    }

    [Fact]
    public async Task A_valid_xlsx_twice_and_a_CSV_with_bad_rows_PostgreSql()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var factory = new HostFactory(postgreSql: database);
        await ImportScenarios.BadRowsAsync(factory, xlsx: false);
        await ImportScenarios.ValidFileTwiceAsync(factory, xlsx: true);
    }

    [Fact]
    public async Task A_valid_CSV_twice_PostgreSql()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var factory = new HostFactory(postgreSql: database);
        await ImportScenarios.ValidFileTwiceAsync(factory, xlsx: false);
    }
}
