namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>
/// Tests that hold a native connection of Microsoft.Data.Sqlite's pool across two opens run alone: every other class's
/// SQLite database clears all pools when it is disposed (<c>SqliteConnection.ClearAllPools</c>), which in parallel would
/// hand them a fresh connection between the two opens.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqlitePoolAlone
{
    public const string Name = "SQLite's connection pool, alone";
}
