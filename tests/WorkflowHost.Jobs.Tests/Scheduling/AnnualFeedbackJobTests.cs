using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.InService.Feedback;

namespace WorkflowHost.Jobs.Tests.Scheduling;

/// <summary>
/// The year-end job on a real Hangfire server: the recurring job is declared at start, and triggered it opens the year's
/// in-service review on the year's last working day (by the calendar, with fake time), not the day before, and only once.
/// </summary>
public sealed class AnnualFeedbackJobTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Fact]
    public async Task The_job_opens_the_years_review_on_its_last_working_day_not_the_day_before_and_once_however_often_it_runs()
    {
        await using var database = new SqliteTestDatabase();
        await using var smtp = new SmtpSink();
        var workflows = Path.Combine(database.ContentRoot, "workflows");
        Directory.CreateDirectory(workflows);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestWorkflows"), "*.json")
                     .Append(Path.Combine(RepositoryPaths.Workflows, "in-service-annual-feedback.json")))
        {
            File.Copy(file, Path.Combine(workflows, Path.GetFileName(file)));
        }

        // Wednesday 30 December 2026, late: the eve of the last working day.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 30, 22, 0, 0, Shanghai));
        await using var host = await JobsTestHost.CreateAsync(database, smtp.Port, JobsTestHost.FastScheduling("year-end"),
            configure: services => services.AddSingleton<TimeProvider>(time));
        await host.RunAsync();

        var recurring = host.Services.GetRequiredService<IRecurringJobManager>();
        var storage = host.Services.GetRequiredService<JobStorage>();
        Assert.Contains(storage.GetConnection().GetRecurringJobs(), j => j.Id == AnnualFeedbackJob.RecurringJobId && j.Cron == Cron.Hourly());

        await RunThroughHangfireAsync(recurring, storage);
        Assert.Equal(0, await ReviewsOfAsync(host, 2026));

        time.SetUtcNow(new DateTimeOffset(2026, 12, 31, 0, 30, 0, Shanghai)); // the last working day has begun
        await RunThroughHangfireAsync(recurring, storage);
        Assert.Equal(1, await ReviewsOfAsync(host, 2026));

        time.SetUtcNow(new DateTimeOffset(2027, 1, 4, 9, 0, 0, Shanghai)); // after New Year: still due, already open
        await RunThroughHangfireAsync(recurring, storage);
        using (var scope = host.Services.CreateScope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AnnualFeedbackJob>().RunAsync(CancellationToken.None));
        }

        Assert.Equal(1, await ReviewsOfAsync(host, 2026));
        await using var db = await host.OpenDbAsync();
        Assert.Equal(2, await db.Instances.CountAsync(i => i.DefinitionId == AnnualFeedbackOpener.Process)); // the seeded 2025 one and 2026's
    }

    /// <summary>Triggers the recurring job and waits until Hangfire has run it to success.</summary>
    private static async Task RunThroughHangfireAsync(IRecurringJobManager recurring, JobStorage storage)
    {
        string? Last() => storage.GetConnection().GetRecurringJobs().Single(j => j.Id == AnnualFeedbackJob.RecurringJobId).LastJobId;
        var before = Last();
        recurring.Trigger(AnnualFeedbackJob.RecurringJobId);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Last() is { } id && id != before
            && storage.GetMonitoringApi().JobDetails(id)?.History.FirstOrDefault()?.StateName == "Succeeded"), TimeSpan.FromSeconds(30)),
            "the triggered job did not succeed");
    }

    private static async Task<int> ReviewsOfAsync(JobsTestHost host, int year)
    {
        await using var db = await host.OpenDbAsync();
        return await db.Set<InServiceReview>().CountAsync(r => r.Year == year);
    }
}
