using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowHost.Jobs.Notifications.Channels;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Tests.Scheduling;

/// <summary>
/// A timer's job is scheduled <see cref="SchedulingOptions.JobLead"/> before its due time and, run early, leaves its
/// worker at once: the timer waits in memory and fires at its due time, never before (docs/decisions/0149).
/// </summary>
public sealed class EarlyTimerJobTests
{
    [Fact]
    public async Task An_early_job_frees_its_worker_and_its_timer_fires_at_the_due_time_not_before()
    {
        await using var database = new SqliteTestDatabase();
        var time = new TimerCountingFakeTime(ChannelWorld.WorkingMorning.ToUniversalTime());
        await using var world = await ChannelWorld.StartAsync(database, new ChannelOptions(), sharedTime: time);
        var id = await world.StartBallotAsync();
        var timer = await FirstPendingAsync(world, id);
        await using var waits = new DueTimerWaits(world.Commands, world.Time, world.Services.GetRequiredService<ILogger<DueTimerWaits>>());
        var job = new FireTimerJob(world.Commands, waits, world.Time, NullLogger<FireTimerJob>.Instance);
        world.Time.SetUtcNow(timer.DueAt - TimeSpan.FromSeconds(2));
        var timersBefore = time.TimersCreated;

        var run = job.RunAsync(id, timer.CommunityId, timer.TimerId, timer.DueAt, CancellationToken.None);

        Assert.True(run.IsCompletedSuccessfully); // the worker is free without the clock moving
        Assert.Equal(1, waits.Count);
        // The wait arms its delay on a pool thread; the clock moves only once it has (see TimerCountingFakeTime).
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(time.TimersCreated > timersBefore), TimeSpan.FromSeconds(30)), "the wait never armed its delay");
        world.Time.Advance(TimeSpan.FromMilliseconds(1_990));
        await Task.Delay(200, TestContext.Current.CancellationToken); // time for a wrongly early firing to show
        Assert.Equal(TimerStatus.Pending, (await RowAsync(world, timer)).Status);

        world.Time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.True(await Eventually.HoldsAsync(async () => (await RowAsync(world, timer)).Status == TimerStatus.Fired, TimeSpan.FromSeconds(30)), world.Logs.All); // long: a loaded machine
        var fired = await RowAsync(world, timer);
        Assert.True(fired.FiredAt >= timer.DueAt, $"fired at {fired.FiredAt:O}, due {timer.DueAt:O}");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(waits.Count == 0), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_job_due_already_fires_on_its_worker_and_nothing_waits()
    {
        await using var database = new SqliteTestDatabase();
        await using var world = await ChannelWorld.StartAsync(database, new ChannelOptions());
        var id = await world.StartBallotAsync();
        var timer = await FirstPendingAsync(world, id);
        await using var waits = new DueTimerWaits(world.Commands, world.Time, NullLogger<DueTimerWaits>.Instance);
        world.Time.SetUtcNow(timer.DueAt + TimeSpan.FromMilliseconds(5));

        await new FireTimerJob(world.Commands, waits, world.Time, NullLogger<FireTimerJob>.Instance).RunAsync(id, timer.CommunityId, timer.TimerId, timer.DueAt, CancellationToken.None);

        Assert.Equal(0, waits.Count);
        Assert.Equal(TimerStatus.Fired, (await RowAsync(world, timer)).Status);
    }

    [Fact]
    public async Task The_job_is_scheduled_the_lead_before_the_due_time_and_enqueued_when_that_has_passed()
    {
        await using var database = new SqliteTestDatabase();
        await using var world = await ChannelWorld.StartAsync(database, new ChannelOptions());
        var id = await world.StartBallotAsync();
        var timer = await FirstPendingAsync(world, id);
        var timerJobs = new TimerJobs(world.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>());
        var lead = TimeSpan.FromSeconds(2);

        world.Time.SetUtcNow(timer.DueAt - TimeSpan.FromMinutes(1));
        await HangfireStepObserver.ArmAsync(world.Jobs, timerJobs, world.Time, lead, id, timer.CommunityId, timer.TimerId, timer.DueAt, CancellationToken.None);

        var scheduled = Assert.Single(world.Jobs.Created, c => c.Method == nameof(FireTimerJob.RunAsync));
        Assert.Equal(timer.DueAt - lead, scheduled.At);
        Assert.Equal(timer.DueAt, (DateTimeOffset)scheduled.Args[3]!); // the job still knows the real due time
        Assert.NotNull((await RowAsync(world, timer)).JobId);

        var other = await FirstPendingAsync(world, await world.StartBallotAsync());
        world.Time.SetUtcNow(other.DueAt - TimeSpan.FromSeconds(1)); // within the lead: queued now
        await HangfireStepObserver.ArmAsync(world.Jobs, timerJobs, world.Time, lead, other.InstanceId, other.CommunityId, other.TimerId, other.DueAt, CancellationToken.None);
        Assert.Contains(world.Jobs.Created, c => c.Method == nameof(FireTimerJob.RunAsync) && c.At is null && Equals(c.Args[2], other.TimerId));
    }

    private static async Task<WorkflowTimer> FirstPendingAsync(ChannelWorld world, Guid id)
    {
        await using var db = await world.OpenDbAsync();
        return await db.Timers.AsNoTracking().Where(t => t.InstanceId == id && t.Status == TimerStatus.Pending).OrderBy(t => t.TimerId).FirstAsync();
    }

    private static async Task<WorkflowTimer> RowAsync(ChannelWorld world, WorkflowTimer timer)
    {
        await using var db = await world.OpenDbAsync();
        return await db.Timers.AsNoTracking().SingleAsync(t => t.InstanceId == timer.InstanceId && t.TimerId == timer.TimerId);
    }
}
