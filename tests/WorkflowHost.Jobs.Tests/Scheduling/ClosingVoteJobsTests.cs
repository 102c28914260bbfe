using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Jobs.Tests.Scheduling;

/// <summary>
/// The vote that decides a ballot cancels the ballot's timers; after it commits, the observer finds their Hangfire jobs by
/// the ids stored on the timer rows (a compiled query, decision 175) and deletes them, and leaves another ballot's alone.
/// </summary>
public sealed class ClosingVoteJobsTests
{
    [Fact]
    public async Task The_deciding_vote_deletes_the_jobs_of_the_timers_it_cancelled_and_no_other()
    {
        await using var database = new SqliteTestDatabase();
        await using var smtp = new SmtpSink();
        // Built, not started: no Hangfire server runs, so every job stays as the observer left it. The horizon takes in
        // every timer of the ballot (due in 12 s), so each has its job from the start.
        var scheduling = JobsTestHost.FastScheduling("closing-jobs");
        await using var host = await JobsTestHost.CreateAsync(database, smtp.Port, scheduling);
        var decided = await host.StartBallotAsync("test-restart-ballot");
        var other = await host.StartBallotAsync("test-restart-ballot");
        var ballot = await host.BallotOfAsync(decided);
        var jobsOfDecided = await JobIdsAsync(host, decided);
        var jobsOfOther = await JobIdsAsync(host, other);
        Assert.True(jobsOfDecided.Count >= 2, $"expected a job for each of the ballot's timers, found {jobsOfDecided.Count}");
        Assert.All(jobsOfDecided.Concat(jobsOfOther), job => Assert.Equal("Scheduled", StateOf(host, job)));

        var voters = await host.EligibleAsync(decided, ballot);
        foreach (var voter in voters)
        {
            await host.VoteAsync(decided, ballot, voter, "consent");
            if ((await host.Queries.GetAsync(decided))!.Row.Status != "running")
            {
                break;
            }
        }

        Assert.Equal("completed", (await host.Queries.GetAsync(decided))!.Row.Status);
        await using (var db = await host.OpenDbAsync())
        {
            Assert.DoesNotContain(await db.Timers.AsNoTracking().Where(t => t.InstanceId == decided).Select(t => t.Status).ToListAsync(), s => s == TimerStatus.Pending);
        }

        Assert.All(jobsOfDecided, job => Assert.Equal("Deleted", StateOf(host, job)));
        Assert.All(jobsOfOther, job => Assert.Equal("Scheduled", StateOf(host, job)));
    }

    private static async Task<List<string>> JobIdsAsync(JobsTestHost host, Guid instanceId)
    {
        await using var db = await host.OpenDbAsync();
        return await db.Timers.AsNoTracking().Where(t => t.InstanceId == instanceId && t.JobId != null).Select(t => t.JobId!).ToListAsync();
    }

    private static string? StateOf(JobsTestHost host, string jobId)
    {
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }
}
