using Hangfire;
using Microsoft.Extensions.Hosting;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>At start: (re)declares the recurring sweep and queues one sweep now, for whatever fell due while the host was down.</summary>
internal sealed class SchedulingStartup(IRecurringJobManager recurring, IBackgroundJobClient jobs, SchedulingOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<OverdueSweepJob>(
            OverdueSweepJob.RecurringJobId,
            SchedulingOptions.Queue,
            job => job.RunAsync(false, CancellationToken.None),
            options.SweepCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<OrphanAttachmentsJob>(
            OrphanAttachmentsJob.RecurringJobId,
            SchedulingOptions.Queue,
            job => job.RunAsync(CancellationToken.None),
            Cron.Hourly(),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<AnnualFeedbackJob>(
            AnnualFeedbackJob.RecurringJobId,
            SchedulingOptions.Queue,
            job => job.RunAsync(CancellationToken.None),
            Cron.Hourly(),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<ClaimRemindersJob>(
            ClaimRemindersJob.RecurringJobId,
            SchedulingOptions.Queue,
            job => job.RunAsync(CancellationToken.None),
            ClaimRemindersJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.Enqueue<OverdueSweepJob>(job => job.RunAsync(true, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
