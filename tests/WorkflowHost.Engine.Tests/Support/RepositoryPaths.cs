namespace WorkflowHost.Engine.Tests.Support;

/// <summary>Finds the repository by walking up from the test binaries to the folder holding WorkflowHost.sln.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Workflows => Path.Combine(Root, "workflows");

    public static string Seeds => Path.Combine(Root, "seeds");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WorkflowHost.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains WorkflowHost.sln.");
    }
}
