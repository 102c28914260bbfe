using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using WorkflowHost.Persistence;

namespace WorkflowHost.Migrations.PostgreSql;

/// <summary>Lets <c>dotnet ef</c> build the context for PostgreSQL; no server is contacted to add a migration.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<WorkflowDbContext>
{
    public WorkflowDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        var options = new PersistenceOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = "Host=localhost;Database=workflowhost_design" };
        PersistenceServiceCollectionExtensions.Configure(builder, options, Path.GetTempPath());
        return new WorkflowDbContext(builder.Options);
    }
}
