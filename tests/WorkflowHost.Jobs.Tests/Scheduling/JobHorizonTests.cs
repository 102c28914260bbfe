using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Tests.Scheduling;

/// <summary>Only timers within the horizon have a Hangfire job; the sweep arms the others as they come near.</summary>
public sealed class JobHorizonTests
{
    [Fact]
    public async Task Timers_beyond_the_horizon_are_armed_by_the_sweep_and_still_fire_once()
    {
        await using var database = new SqliteTestDatabase();
        await using var smtp = new SmtpSink();
        var scheduling = JobsTestHost.FastScheduling("horizon");
        scheduling.JobHorizon = TimeSpan.FromSeconds(8); // below the validated minimum, to see it within a test
        await using var host = await JobsTestHost.StartAsync(database, smtp, scheduling);
        var id = await host.StartBallotAsync("test-restart-ballot"); // reminder in 6 s, deadline in 12 s, street committee in 15 s
        var ballot = await host.BallotOfAsync(id);
        foreach (var voter in ReminderDeliveryScenarios.EarlyVoters)
        {
            await host.VoteAsync(id, ballot, voter, "consent");
        }

        await using (var db = await host.OpenDbAsync())
        {
            var timers = await db.Timers.AsNoTracking().Where(t => t.InstanceId == id).ToDictionaryAsync(t => t.TimerId.Split(':')[1], t => t.JobId);
            Assert.NotNull(timers["remind-0"]);
            Assert.Null(timers["due"]);
            Assert.Null(timers["escalate-1"]);
        }

        // The minute sweep, run now instead of waiting for the minute, five seconds on: the deadline is within 8 s.
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        using (var scope = host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<OverdueSweepJob>().RunAsync(false, CancellationToken.None);
        }

        await using (var db = await host.OpenDbAsync())
        {
            Assert.NotNull((await db.Timers.AsNoTracking().SingleAsync(t => t.InstanceId == id && t.TimerId.EndsWith(":due"))).JobId);
        }

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= 9), TimeSpan.FromSeconds(20)), $"only {smtp.Messages.Count} e-mails arrived");
        await using (var db = await host.OpenDbAsync())
        {
            Assert.Equal(3, await db.Timers.CountAsync(t => t.InstanceId == id && t.Status == TimerStatus.Fired));
        }

        // The street committee's alert (15 s) was never armed by a sweep here; only its row says it is due, and the next sweep fires it.
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);
        using (var scope = host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<OverdueSweepJob>().RunAsync(true, CancellationToken.None);
        }

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= 10), TimeSpan.FromSeconds(10)), $"only {smtp.Messages.Count} e-mails arrived");
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(10, smtp.Messages.Count);
        Assert.Single(await host.Queries.JournalAsync(id), e => e.Type == "ReminderSent");
    }
}
