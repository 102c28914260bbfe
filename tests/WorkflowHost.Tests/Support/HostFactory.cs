using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace WorkflowHost.Tests.Support;

/// <summary>
/// The real host (the repository's appsettings.json, workflows/ and seeds/) on a SQLite file of its own.
/// Settings given to the constructor override appsettings.json the way environment variables would.
/// </summary>
public sealed class HostFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public string DataFolder { get; } = Directory.CreateTempSubdirectory("workflowhost-host-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryPaths.Root);
        builder.UseEnvironment("Development");
        builder.UseSetting("Persistence:DataFolder", DataFolder);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataFolder, recursive: true);
    }
}

internal static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WorkflowHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("WorkflowHost.sln not found above " + AppContext.BaseDirectory);
    }
}
