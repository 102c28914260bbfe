using System.Text.Json.Nodes;

namespace WorkflowHost.Tests.Configuration;

/// <summary>
/// The runtime settings the host is built with (docs/decisions/0174): they live in WorkflowHost.runtimeconfig.json, so
/// they apply however the host is started (<c>dotnet run</c>, <c>dotnet WorkflowHost.dll</c>, a service unit), and an
/// environment variable still overrides them. The file is the build's own, copied beside the tests.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static JsonObject ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "WorkflowHost.runtimeconfig.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return config["runtimeOptions"]!["configProperties"]!.AsObject();
    }

    [Fact]
    public void Idle_thread_pool_workers_sleep_without_spinning_first()
    {
        // The runtime's default (70) spins idle workers in sched_yield before they sleep: CPU a vote paid for nothing.
        Assert.Equal(0, ConfigProperties()["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]?.GetValue<int>());
    }

    [Fact]
    public void The_host_runs_the_server_garbage_collector()
    {
        Assert.True(ConfigProperties()["System.GC.Server"]?.GetValue<bool>());
    }
}
