using System.Collections.Concurrent;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Jobs.Tests.Support;

namespace WorkflowHost.Jobs.Tests.Scheduling;

/// <summary>
/// Hangfire's <c>JobStorage.Current</c> is one static for the whole process. Each host takes its storage from its own
/// services instead, so a host keeps working on its own storage after another host in the process was disposed.
/// </summary>
public sealed class HangfireStorageTests
{
    [Fact]
    public async Task A_host_enqueues_and_runs_jobs_on_its_own_storage_after_another_host_in_the_process_is_disposed()
    {
        await using var firstDatabase = new SqliteTestDatabase();
        await using var secondDatabase = new SqliteTestDatabase();
        await using var smtp = new SmtpSink();
        await using var first = await JobsTestHost.CreateAsync(firstDatabase, smtp.Port, name: "first");
        var second = await JobsTestHost.CreateAsync(secondDatabase, smtp.Port, name: "second");

        // Both configure Hangfire, the second last; then the second goes away with its storage.
        first.Services.GetRequiredService<IGlobalConfiguration>();
        second.Services.GetRequiredService<IGlobalConfiguration>();
        var secondStorage = second.Services.GetRequiredService<JobStorage>();
        await second.DisposeAsync();

        var storage = first.Services.GetRequiredService<JobStorage>();
        Assert.NotSame(secondStorage, storage);
        var marker = Guid.NewGuid().ToString("N");
        var jobId = first.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue(SchedulingOptions.Queue, () => Probe.Run(marker));
        await first.RunAsync();

        var ran = await Eventually.HoldsAsync(() => Task.FromResult(Probe.Ran.ContainsKey(marker)), TimeSpan.FromSeconds(20));
        Assert.True(ran, "the first host's server never ran the job: " + string.Join(" | ", storage.GetMonitoringApi().JobDetails(jobId).History.Select(h => $"{h.StateName} {h.Reason}")));
        Assert.True(await Eventually.HoldsAsync(
            () => Task.FromResult(storage.GetMonitoringApi().JobDetails(jobId)?.History.Any(h => h.StateName == SucceededState.StateName) == true),
            TimeSpan.FromSeconds(10)), "the job did not succeed in the first host's storage");
    }

    public static class Probe
    {
        public static readonly ConcurrentDictionary<string, bool> Ran = new();

        public static void Run(string marker) => Ran[marker] = true;
    }
}
