using System.Reflection;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>The host's own build output, found from the repository (<see cref="RepositoryPaths"/>).</summary>
public static class HostBuild
{
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

            var configuration = typeof(HostBuild).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dll = Path.Combine(RepositoryPaths.Root, "src", "WorkflowHost", "bin", configuration, "net10.0", "WorkflowHost.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The host is not built at {dll}; build the solution first.", dll);
        }
    }
}
