using System.Reflection;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>The repository (the folder holding WorkflowHost.sln) and the host's own build output, wherever the tests run.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Seeds => Path.Combine(Root, "seeds");

    /// <summary>
    /// The host to start: <c>WORKFLOWHOST_FAULTS_HOST_DLL</c> if set, else the host built in the same configuration as
    /// these tests (<c>-c Release</c> for the long runs).
    /// </summary>
    public static string HostDll
    {
        get
        {
            if (Environment.GetEnvironmentVariable("WORKFLOWHOST_FAULTS_HOST_DLL") is { Length: > 0 } configured)
            {
                return configured;
            }

            var configuration = typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dll = Path.Combine(Root, "src", "WorkflowHost", "bin", configuration, "net10.0", "WorkflowHost.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The host is not built at {dll}; build the solution first.", dll);
        }
    }

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
