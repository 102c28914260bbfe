using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// The step's read keeps one plan for a connection's life on PostgreSQL (its statements are prepared, decision 159), so
/// its plan must be a good one whatever the statistics were when it was made. docs/benchmarks.md 22b found it was not:
/// made on a fresh database, the voter test of the visibility rule became a hashed SubPlan that read all of the voter's
/// ballot rows on every vote. Here the host's own SQL for a member's vote is prepared with a generic plan on a freshly
/// migrated, never analysed database, the member is then given 2,000 more ballots by another connection, and the same
/// kept plan must still read the voter's row by the instance's key.
/// </summary>
public sealed partial class StepReadPlanOnPostgreSqlTests
{
    private const int OtherBallots = 2_000;

    [Fact]
    public async Task The_step_reads_kept_plan_stays_a_lookup_by_the_instance_when_the_voter_has_thousands_of_ballots()
    {
        var captured = new CommandCapture();
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync(), configure:
            services => services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(captured)));
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var member = (await flow.EligibleAsync())[0];

        // The read a member's vote over the API makes: the instance only if the member may see it, here as its voter.
        await using var db = await host.OpenDbAsync();
        captured.Clear();
        var viewer = new Viewer(member, Consultation.Community, SeesWholeCommunity: false, OverseenCommunities: [], LiaisonOfUnit: null, Roles: ["committee-member"], ContributesTo: []);
        Assert.NotNull(await StepReads.ForViewerAsync(db, id, viewer, keySuffix: null, keptUtf8: null, TestContext.Current.CancellationToken));
        var read = captured.Single(c => c.Sql.Contains("\"BallotVoters\"", StringComparison.Ordinal));

        var database = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        // What a connection of the host ends up with after a few executions of its prepared statement: the generic plan, kept.
        await ExecuteAsync(connection, "SET plan_cache_mode = force_generic_plan", Prepare(read));
        var onFreshTables = await PlanAsync(connection, read);

        await using (var other = new NpgsqlConnection(database))
        {
            await other.OpenAsync(TestContext.Current.CancellationToken);
            await GiveMoreBallotsAsync(other, id, ballot, member);
        }

        var grown = await PlanAsync(connection, read);
        Assert.DoesNotContain("hashed SubPlan", grown, StringComparison.Ordinal);
        Assert.True(SharedHits(grown) <= 30, $"the kept plan read {SharedHits(grown)} buffers with {OtherBallots} more ballots for the voter:\n{grown}\n\nwhen made:\n{onFreshTables}");
    }

    /// <summary>Copies of the instance, its ballot's work item and the member's voter row, made in SQL so that the table grows as it does in service.</summary>
    internal static async Task GiveMoreBallotsAsync(NpgsqlConnection connection, Guid id, string ballot, string member)
    {
        await using var command = new NpgsqlCommand(
            """
            CREATE TEMP TABLE copies AS SELECT gen_random_uuid() AS "Id" FROM generate_series(1, @n);
            INSERT INTO "Instances" SELECT (jsonb_populate_record(NULL::"Instances", to_jsonb(i) || jsonb_build_object('Id', c."Id", 'SubjectKey', NULL))).*
              FROM "Instances" i, copies c WHERE i."Id" = @id;
            INSERT INTO "WorkItems" SELECT (jsonb_populate_record(NULL::"WorkItems", to_jsonb(w) || jsonb_build_object('InstanceId', c."Id"))).*
              FROM "WorkItems" w, copies c WHERE w."InstanceId" = @id AND w."BookmarkId" = @ballot;
            INSERT INTO "BallotVoters" SELECT (jsonb_populate_record(NULL::"BallotVoters", to_jsonb(v) || jsonb_build_object('InstanceId', c."Id"))).*
              FROM "BallotVoters" v, copies c WHERE v."InstanceId" = @id AND v."BookmarkId" = @ballot AND v."PersonId" = @member;
            """, connection);
        command.Parameters.AddWithValue("n", OtherBallots);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("ballot", ballot);
        command.Parameters.AddWithValue("member", member);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// The host's statement, as sent, as a named prepared statement: the host sends it positional ($1, $2, … with unnamed
    /// parameters in order, decision 188), so its text is prepared as it is, with its parameters' types.
    /// </summary>
    private static string Prepare(CapturedCommand read)
    {
        Assert.All(read.Parameters, p => Assert.Equal("", p.Name));
        Assert.Contains("$1", read.Sql, StringComparison.Ordinal);
        return $"PREPARE step_read({string.Join(", ", read.Parameters.Select(p => TypeOf(p.Value)))}) AS {read.Sql}";
    }

    private static async Task<string> PlanAsync(NpgsqlConnection connection, CapturedCommand read)
    {
        await using var command = new NpgsqlCommand(
            $"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE step_read({string.Join(", ", read.Parameters.Select(p => Literal(p.Value)))})", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("\n", lines);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, params string[] statements)
    {
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    private static string TypeOf(object? value) => value switch
    {
        Guid => "uuid",
        bool => "boolean",
        string[] => "text[]",
        int => "integer",
        long => "bigint",
        byte[] => "bytea",
        _ => "text",
    };

    private static string Literal(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string[] items => Quoted("{" + string.Join(",", items.Select(i => "\"" + i.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "}"),
        _ => Quoted(Convert.ToString(value, CultureInfo.InvariantCulture)!),
    };

    private static string Quoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The statement's own buffers: the first "Buffers:" line is the top node's.</summary>
    private static int SharedHits(string plan) => int.Parse(SharedHit().Match(plan).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Buffers: shared hit=(\d+)")]
    private static partial Regex SharedHit();

    private sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

    /// <summary>Each reader command the host's contexts send, with its parameters' names and values.</summary>
    private sealed class CommandCapture : DbCommandInterceptor
    {
        private readonly List<CapturedCommand> _commands = [];

        public void Clear()
        {
            lock (_commands)
            {
                _commands.Clear();
            }
        }

        public CapturedCommand Single(Func<CapturedCommand, bool> match)
        {
            lock (_commands)
            {
                return _commands.Single(match);
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            lock (_commands)
            {
                _commands.Add(new CapturedCommand(command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value))]));
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
