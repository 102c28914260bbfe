using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Seeding;

namespace WorkflowHost.Persistence;

/// <summary>Brings a database up to date before anything is served: migrations, seeds, then the definitions.</summary>
public static class WorkflowDatabase
{
    public static async Task InitializeAsync(IServiceProvider services, string workflowsFolder, string seedsFolder, CancellationToken cancellationToken = default)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkflowDatabase));
        var factory = services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);

        // The sealing key first: a database written with another key is refused before anything is changed (decision 90).
        var keys = services.GetRequiredService<Sealing.StoreKeys>();
        await Sealing.StoreKeyGuard.EnsureAsync(db, keys, services.GetService<TimeProvider>() ?? TimeProvider.System, cancellationToken);
        await Journal.JournalRekey.RunAsync(factory, keys, logger, cancellationToken);
        var seeded = await SeedData.LoadIfEmptyAsync(db, seedsFolder, logger, services.GetService<TimeProvider>() ?? TimeProvider.System, cancellationToken);
        await services.GetRequiredService<DefinitionCatalog>().LoadAsync(db, workflowsFolder, cancellationToken);
        await Records.SubjectKeyBackfill.RunAsync(factory, services.GetRequiredService<DefinitionCatalog>(), logger, cancellationToken: cancellationToken);
        if (seeded)
        {
            // Seeds that are steps of a process run once the definitions are known.
            await FeedbackSeeds.RunAsync(services, seedsFolder, logger, cancellationToken);
        }
    }
}
