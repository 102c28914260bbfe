using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Tests.Scheduling;

/// <summary>
/// A host SIGKILLed while it holds one of Hangfire's locks leaves the lock row behind in PostgreSQL. Found by the crash
/// test (tests/WorkflowHost.Faults.Tests): with Hangfire.PostgreSql's default the next host waited ten minutes for it,
/// and with it every delayed job and every sweep, so no timer fired.
/// </summary>
public sealed class StaleLockTests
{
    [Fact]
    public async Task Locks_left_by_a_killed_host_do_not_hold_back_the_timers_after_a_restart()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync(migrated: true);
        await using var smtp = new SmtpSink();
        await using (var killed = await JobsTestHost.StartAsync(database, smtp, name: "killed"))
        {
            await killed.StopAsync(); // creates Hangfire's schema
        }

        // What the dead host left: the delayed-job poller's, the recurring scheduler's and a sweep's locks, taken a minute ago.
        await using (var connection = new NpgsqlConnection(database.Options.PostgreSqlConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var stale = new NpgsqlCommand("""
                INSERT INTO hangfire.lock (resource, updatecount, acquired) VALUES
                  ('hangfire:locks:schedulepoller', 0, now() - interval '1 minute'),
                  ('hangfire:recurring-jobs:lock', 0, now() - interval '1 minute'),
                  ('hangfire:OverdueSweepJob.RunAsync', 0, now() - interval '1 minute')
                """, connection);
            await stale.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var restarted = await JobsTestHost.StartAsync(database, smtp, name: "restarted");
        var id = await restarted.StartBallotAsync(); // its deadline (vote#1:due) is 6 s away

        async Task<bool> DeadlineFired()
        {
            await using var db = await restarted.OpenDbAsync();
            return await db.Timers.AnyAsync(t => t.InstanceId == id && t.TimerId == "vote#1:due" && t.Status == TimerStatus.Fired);
        }

        // Well within the minute: with the ten-minute default nothing fires for nine more minutes.
        Assert.True(await Eventually.HoldsAsync(DeadlineFired, TimeSpan.FromSeconds(50)), "the ballot's deadline did not fire: a dead host's lock still blocks the scheduler");
    }
}
