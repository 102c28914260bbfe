using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Configuration;

/// <summary>A wrong setting or a bad definition stops the host before it serves anything, with a message that says why.</summary>
public sealed class StartupValidationTests
{
    [Fact]
    public async Task A_bad_definition_stops_the_host_naming_file_path_and_reason()
    {
        var workflows = Directory.CreateTempSubdirectory("workflowhost-bad-").FullName;
        try
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, "workflows", "promotion-consultation.json"), Path.Combine(workflows, "promotion-consultation.json"));
            await File.WriteAllTextAsync(Path.Combine(workflows, "typo.json"), """
                { "id": "typo", "version": 1, "name": { "zh-CN": "错", "en": "Typo" }, "start": "a",
                  "activities": [ { "id": "a", "type": "humanTsk", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ] } ] }
                """, TestContext.Current.CancellationToken);
            await using var factory = new HostFactory(new Dictionary<string, string?> { ["WorkflowHost:WorkflowsFolder"] = workflows });

            var error = Assert.Throws<DefinitionException>(() => factory.CreateClient());

            var problem = Assert.Single(error.Errors);
            Assert.Equal("typo.json", problem.File);
            Assert.Equal("$.activities[0].type", problem.Path);
            Assert.Contains("humanTsk", problem.Reason, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workflows, recursive: true);
        }
    }

    [Fact]
    public async Task A_wrong_calendar_setting_stops_the_host()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Calendar:EndOfWorkingDay"] = "half past five" });
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Calendar:EndOfWorkingDay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSql_without_a_connection_string_stops_the_host()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Persistence:Provider"] = "PostgreSql", ["Persistence:PostgreSqlConnectionString"] = "" });
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("PostgreSqlConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WalCheckpointPages", "-1")]
    [InlineData("WalCheckpointPages", "50")]
    [InlineData("WalCheckpointPages", "200000")]
    [InlineData("WalHardLimitPages", "500")]
    [InlineData("WalHardLimitPages", "2000000")]
    [InlineData("WalHardLimitPages", "3999")]
    public async Task A_write_ahead_log_bound_out_of_range_stops_the_host(string key, string value)
    {
        // 3999 is under four times the default threshold of 1,000 pages.
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Persistence:" + key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_write_ahead_log_checkpointer_runs_with_the_host_and_0_turns_it_off()
    {
        await using (var factory = new HostFactory(new Dictionary<string, string?> { ["Persistence:WalCheckpointPages"] = "200", ["Persistence:WalHardLimitPages"] = "1000" }))
        {
            factory.CreateClient();
            var checkpointer = factory.Services.GetRequiredService<WorkflowHost.Persistence.SqliteCheckpointer>();
            Assert.Equal((200, 1000), (checkpointer.CheckpointPages, checkpointer.HardLimitPages));
            Assert.Contains(factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is WorkflowHost.Configuration.SqliteCheckpointerService);
        }

        await using var off = new HostFactory(new Dictionary<string, string?> { ["Persistence:WalCheckpointPages"] = "0" });
        off.CreateClient();
        Assert.Null(off.Services.GetService<WorkflowHost.Persistence.SqliteCheckpointer>());
        Assert.DoesNotContain(off.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is WorkflowHost.Configuration.SqliteCheckpointerService);
    }

    [Fact]
    public void The_host_reads_the_appsettings_json_at_the_repository_root()
    {
        using var factory = new HostFactory();
        var configuration = factory.Services.GetRequiredService<IConfiguration>();
        Assert.Equal("workflowhost.db", configuration["Persistence:SqliteFileName"]);
        var appsettings = ((IConfigurationRoot)configuration).Providers.OfType<JsonConfigurationProvider>()
            .First(p => p.Source.Path == "appsettings.json");
        Assert.Equal(Path.Combine(RepositoryPaths.Root, "appsettings.json"), appsettings.Source.FileProvider!.GetFileInfo("appsettings.json").PhysicalPath);
    }
}
