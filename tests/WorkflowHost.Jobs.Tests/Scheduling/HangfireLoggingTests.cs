using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowHost.Jobs.Scheduling;

namespace WorkflowHost.Jobs.Tests.Scheduling;

/// <summary>
/// Hangfire's log provider is process-wide; several hosts in one process (as in the integration tests) must not break
/// each other when one of them is disposed first.
/// </summary>
public sealed class HangfireLoggingTests
{
    [Fact]
    public async Task A_host_keeps_creating_hangfire_components_after_another_host_in_the_process_is_disposed()
    {
        await using var firstDatabase = new SqliteTestDatabase();
        await using var secondDatabase = new SqliteTestDatabase();
        using var first = BuildServices(firstDatabase);
        var second = BuildServices(secondDatabase);
        first.GetRequiredService<IGlobalConfiguration>();
        second.GetRequiredService<IGlobalConfiguration>();

        // The second host configured Hangfire last, so the process-wide log provider is bound to its logger factory.
        second.Dispose();

        var manager = first.GetRequiredService<IRecurringJobManager>();
        Assert.NotNull(manager);
    }

    private static ServiceProvider BuildServices(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkflowScheduling(new SchedulingOptions { RunServer = false }, database.Options, database.ContentRoot);
        return services.BuildServiceProvider();
    }
}
