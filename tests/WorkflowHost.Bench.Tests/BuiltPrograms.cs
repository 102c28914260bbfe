namespace WorkflowHost.Bench.Tests;

/// <summary>
/// Where the programs this project builds alongside itself (its ReferenceOutputAssembly="false" references) end up:
/// the same configuration as this test assembly, e.g. src/WorkflowHost/bin/Debug/net10.0/WorkflowHost.dll.
/// </summary>
internal static class BuiltPrograms
{
    public static string HostDll => Path("src", "WorkflowHost", "WorkflowHost.dll");

    public static string EngineBenchDll => Path("bench", "WorkflowHost.Bench.Engine", "WorkflowHost.Bench.Engine.dll");

    private static string Path(string folder, string project, string dll)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var file = System.IO.Path.Combine(Bench.Load.LoadRun.RepositoryRoot(), folder, project, "bin", configuration, framework, dll);
        Assert.True(File.Exists(file), $"{file} is not built; build this test project (it builds {project} too).");
        return file;
    }
}
