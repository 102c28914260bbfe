namespace WorkflowHost.Testing;

/// <summary>Finds the repository (the folder holding WorkflowHost.sln) from wherever the tests run.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Workflows => Path.Combine(Root, "workflows");

    public static string Seeds => Path.Combine(Root, "seeds");

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
