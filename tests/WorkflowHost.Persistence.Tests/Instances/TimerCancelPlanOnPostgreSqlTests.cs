using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// The deciding vote cancels its ballot's pending timers (<c>UPDATE "Timers" … WHERE "InstanceId" = … AND "TimerId" IN (…)
/// AND "Status" = 'pending'</c>), a statement prepared on each of the host's connections (decision 159) that keeps its
/// generic plan. docs/benchmarks.md 23b found that plan taking the sweep's <c>("Status", "DueAt")</c> index when it was made
/// while few timers were pending, and then reading every pending timer of the database on each deciding vote. Here the
/// host's own statement is prepared with a generic plan on a freshly migrated, never analysed database, other instances
/// are given 2,000 pending timers by another connection, and the kept plan must still reach only the ballot's timers.
/// </summary>
public sealed class TimerCancelPlanOnPostgreSqlTests
{
    private const int OtherTimers = 2_000;

    [Fact]
    public async Task The_kept_cancellation_plan_reads_only_the_ballots_timers_when_thousands_of_others_are_pending()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        await flow.AcceptAsync(id);

        await using var db = await host.OpenDbAsync();
        var timers = await db.Timers.Where(t => t.InstanceId == id && t.Status == TimerStatus.Pending)
            .Select(t => t.TimerId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(timers);
        var cancel = EffectWrites.CancelTimersSql(db, timers.Count);

        var database = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        // What a host's connection ends up with after a few executions of its prepared statement: the generic plan, kept.
        await KeptPlans.PrepareGenericAsync(connection, "cancel", cancel);
        var whenMade = await PlanAsync(connection, id, timers);

        await using (var other = new NpgsqlConnection(database))
        {
            await other.OpenAsync(TestContext.Current.CancellationToken);
            await GiveOtherInstancesTimersAsync(other, id);
        }

        var grown = await PlanAsync(connection, id, timers);
        // The update itself writes each cancelled row's new version and index entries; what must not grow is the scan
        // under it, the plan's second figure: the ballot's timers found without reading the others.
        var scanned = KeptPlans.SharedHits(grown).ElementAtOrDefault(1);
        var plans = $"{grown}\n\nwhen made:\n{whenMade}\n\n{cancel}";
        Assert.Contains($"(actual rows={timers.Count} loops=1)", grown, StringComparison.Ordinal);
        Assert.True(scanned is > 0 and <= 10, $"the kept plan's scan read {scanned} buffers with {OtherTimers} other timers pending:\n{plans}");
        Assert.DoesNotContain("Rows Removed by Filter", grown, StringComparison.Ordinal);
    }

    /// <summary>Copies of the instance, each with a pending timer due later, made in SQL so the table grows as in service.</summary>
    private static async Task GiveOtherInstancesTimersAsync(NpgsqlConnection connection, Guid id)
    {
        await using var command = new NpgsqlCommand(
            """
            CREATE TEMP TABLE copies AS SELECT gen_random_uuid() AS "Id" FROM generate_series(1, @n);
            INSERT INTO "Instances" SELECT (jsonb_populate_record(NULL::"Instances", to_jsonb(i) || jsonb_build_object('Id', c."Id", 'SubjectKey', NULL))).*
              FROM "Instances" i, copies c WHERE i."Id" = @id;
            INSERT INTO "Timers" SELECT (jsonb_populate_record(NULL::"Timers", to_jsonb(t) || jsonb_build_object('InstanceId', c."Id"))).*
              FROM (SELECT * FROM "Timers" WHERE "InstanceId" = @id AND "Status" = 'pending' LIMIT 1) t, copies c;
            """, connection);
        command.Parameters.AddWithValue("n", OtherTimers);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The kept plan run on the ballot's timers, rolled back so they stay pending.</summary>
    private static Task<string> PlanAsync(NpgsqlConnection connection, Guid id, IReadOnlyList<string> timers) =>
        KeptPlans.ExplainAsync(connection, "cancel", $"'{id}', {string.Join(", ", timers.Select(KeptPlans.Quoted))}");
}
