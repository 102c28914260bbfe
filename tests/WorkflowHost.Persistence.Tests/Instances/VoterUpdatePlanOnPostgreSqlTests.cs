using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// The voter's guarded update (<c>UPDATE "BallotVoters" … WHERE "InstanceId" = … AND "BookmarkId" = … AND "PersonId" = …
/// AND "Status" = 'pending'</c>) is prepared on each of the host's connections (decision 159) and keeps its generic plan.
/// docs/benchmarks.md 22b found that plan taking the partial index of pending voters whenever the statistics saw none
/// pending (a fresh database, or one analysed with no ballot open), and then filtering every pending ballot of the voter on
/// each vote. The index names the whole key after the person (decision 184), so whichever index the plan takes names one
/// row. Here the host's own statement is prepared with a generic plan on a freshly migrated, never analysed database, the
/// member is given 2,000 more pending ballots by another connection, and the kept plan must still touch one voter row.
/// </summary>
public sealed class VoterUpdatePlanOnPostgreSqlTests
{
    [Fact]
    public async Task The_voters_kept_update_plan_reads_one_row_when_the_voter_has_thousands_of_pending_ballots()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var member = (await flow.EligibleAsync())[0];

        await using var db = await host.OpenDbAsync();
        var update = StepWrites.VoteSql(db);
        Assert.Contains("\"BallotVoters\"", update, StringComparison.Ordinal);

        var database = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        // What a host's connection ends up with after a few executions of its prepared statement: the generic plan, kept.
        // The parameters' types are the columns' own, inferred by the server from the statement.
        await KeptPlans.PrepareGenericAsync(connection, "vote", update);
        var whenMade = await PlanAsync(connection, id, ballot, member);

        await using (var other = new NpgsqlConnection(database))
        {
            await other.OpenAsync(TestContext.Current.CancellationToken);
            await StepReadPlanOnPostgreSqlTests.GiveMoreBallotsAsync(other, id, ballot, member);
        }

        var grown = await PlanAsync(connection, id, ballot, member);
        Assert.True(KeptPlans.SharedHits(grown)[0] <= 25,
            $"the kept plan read {KeptPlans.SharedHits(grown)[0]} buffers with the voter's other ballots pending:\n{grown}\n\nwhen made:\n{whenMade}");
        // The plan reached the member's row (one row under the update), found by the index's condition alone, not among
        // the voter's other pending rows.
        Assert.Contains("(actual rows=1 loops=1)", grown, StringComparison.Ordinal);
        Assert.DoesNotContain("Rows Removed by Filter", grown, StringComparison.Ordinal);
    }

    /// <summary>The kept plan run on the member's row of the ballot, rolled back so the row stays pending.</summary>
    private static Task<string> PlanAsync(NpgsqlConnection connection, Guid id, string ballot, string member) =>
        KeptPlans.ExplainAsync(connection, "vote", $"'2026-12-06T08:00:00Z', 'consent', NULL, NULL, '{id}', {KeptPlans.Quoted(ballot)}, {KeptPlans.Quoted(member)}");
}
