using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// A voter's pending entry lives in a partial index, so a vote removes one index entry instead of moving it between pages
/// (issue 18). SQLite uses a partial index only when the query's terms imply its condition, and it has no statistics to
/// fall back on: these read SQLite's plan for the statements the host sends. (PostgreSQL plans from statistics, so a plan
/// there would prove nothing stable; its answers are covered by the inbox scenarios on both databases.)
/// </summary>
public sealed class BallotVoterIndexPlanTests
{
    [Fact]
    public async Task The_inbox_finds_a_members_ballots_through_the_pending_index()
    {
        var sql = new SqlCommandCounter();
        await using var host = await WorkflowTestHost.StartOwningAsync(new SqliteTestDatabase(), configure:
            services => services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(sql)));
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        await flow.AcceptAsync(id);
        var member = (await flow.EligibleAsync())[0];

        sql.Reset();
        Assert.Single(await host.Queries.OpenWorkForAsync(member), w => w.InstanceId == id);
        var ballots = sql.Commands.Single(c => c.Contains("\"BallotVoters\"", StringComparison.Ordinal));

        var plan = await PlanAsync(host, ballots);
        Assert.Contains("IX_BallotVoters_PersonId_Pending", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan.Replace("SCAN CONSTANT ROW", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static async Task<string> PlanAsync(WorkflowTestHost host, string statement)
    {
        await using var db = await host.OpenDbAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        // Unbound parameters read as NULL: the plan depends on the statement's shape, not its values.
        command.CommandText = "EXPLAIN QUERY PLAN " + statement;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join("\n", lines);
    }
}
