using System.Text.RegularExpressions;
using Npgsql;
using WorkflowHost.Bench.Load;

namespace WorkflowHost.Bench.Tests.Load;

/// <summary>
/// The bench's analyse of the host's database after the warm-up (<see cref="LoadDatabases.AnalyzeHostAsync"/>), on the
/// real PostgreSQL server, in miniature of what docs/benchmarks.md section 22b found in the step's read: a statement
/// prepared on a connection while its tables are nearly empty and never analysed keeps a generic plan that tests
/// "is this person a voter of this instance" (an EXISTS under an OR) by hashing every row of the person, and reads more
/// as the person's rows grow; the analyse, run from another connection, makes that connection plan it again.
/// </summary>
public partial class LoadDatabasesTests
{
    [Fact]
    public async Task The_analyse_after_the_warm_up_replaces_a_plan_made_on_the_fresh_databases_empty_tables()
    {
        var server = Environment.GetEnvironmentVariable("WORKFLOWHOST_TEST_POSTGRES") ?? LoadOptions.DefaultPostgresServer;
        var options = LoadOptions.Parse([]) with { PostgresServer = server };
        var work = Directory.CreateTempSubdirectory("wfh-bench-analyse-").FullName;
        LoadDatabases databases;
        try
        {
            databases = await LoadDatabases.CreateAsync(Target.PostgreSql, options, work, Guid.NewGuid().ToString("N")[..10]);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException && Environment.GetEnvironmentVariable("WORKFLOWHOST_REQUIRE_POSTGRES") != "1")
        {
            Assert.Skip($"PostgreSQL is not reachable ({e.Message}). Start it with `bash .ci/start-postgres.sh`, or set WORKFLOWHOST_TEST_POSTGRES.");
            return;
        }

        await using (databases)
        {
            var database = new NpgsqlConnectionStringBuilder(databases.Host.PostgreSqlConnectionString) { Pooling = false }.ConnectionString;
            await using var host = new NpgsqlConnection(database);
            await host.OpenAsync();
            await ExecuteAsync(host,
                "CREATE TABLE instances (id integer PRIMARY KEY, community text NOT NULL)",
                "CREATE TABLE voters (instance integer NOT NULL, ballot text NOT NULL, person text NOT NULL, PRIMARY KEY (instance, ballot, person))",
                "CREATE INDEX ON voters (person)",
                "INSERT INTO instances SELECT n, 'c' FROM generate_series(1, 2000) AS n",
                "INSERT INTO voters VALUES (1, 'b', 'p')",
                // What Npgsql's auto-preparation leaves on a connection after a few executions: a generic plan, kept.
                "SET plan_cache_mode = force_generic_plan",
                "PREPARE step_read(integer, boolean, text) AS SELECT i.id FROM instances AS i WHERE i.id = $1 AND (($2 AND i.community = 'c') OR EXISTS (SELECT 1 FROM voters AS v WHERE v.instance = i.id AND v.person = $3))");
            var onEmptyTables = await PlanAsync(host);
            Assert.Contains("hashed SubPlan", onEmptyTables, StringComparison.Ordinal); // the plan the bench's runs kept

            // The person votes on 2,000 ballots, written by another connection as the bench's votes are.
            await using (var other = new NpgsqlConnection(database))
            {
                await other.OpenAsync();
                await ExecuteAsync(other, "INSERT INTO voters SELECT n, 'b', 'p' FROM generate_series(2, 2000) AS n");
            }

            var grown = await PlanAsync(host);
            Assert.True(SharedHits(grown) > 10, grown); // the kept plan reads every one of the person's rows

            Assert.True(await databases.AnalyzeHostAsync() >= 2);

            var analysed = await PlanAsync(host);
            Assert.DoesNotContain("hashed SubPlan", analysed, StringComparison.Ordinal);
            Assert.True(SharedHits(analysed) <= 10, analysed); // one probe of the voter's row under its instance
        }

        Directory.Delete(work, recursive: true);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, params string[] statements)
    {
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> PlanAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE step_read(1, false, 'p')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The statement's own buffers: the first "Buffers:" line, the top node's (planning's come later).</summary>
    private static int SharedHits(string plan) => int.Parse(SharedHit().Match(plan).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Buffers: shared hit=(\d+)")]
    private static partial Regex SharedHit();
}
