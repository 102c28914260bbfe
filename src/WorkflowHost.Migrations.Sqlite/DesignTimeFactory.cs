using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using WorkflowHost.Persistence;

namespace WorkflowHost.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the context for SQLite without starting the host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<WorkflowDbContext>
{
    public WorkflowDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        PersistenceServiceCollectionExtensions.Configure(builder, new PersistenceOptions { Provider = DatabaseProvider.Sqlite }, Path.GetTempPath());
        return new WorkflowDbContext(builder.Options);
    }
}
