using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Definitions;

namespace WorkflowHost.Persistence.Records;

/// <summary>
/// Gives the instances stored before decision 145 their subject key, at start, once the definitions are loaded: for each
/// process whose published revision has a <c>prior-consultations</c> lookup, every instance without a key gets the key of
/// that lookup's <c>nominee</c> and <c>kind</c> read from its current input, as the lookup compared it before. In batches,
/// each its own short transaction; a row that got its key meanwhile (a step that ran the lookup) is left as it is, and a
/// second run finds nothing to do.
/// </summary>
public static class SubjectKeyBackfill
{
    public const int BatchSize = 500;

    public static async Task<int> RunAsync(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog, ILogger logger, int batchSize = BatchSize, CancellationToken cancellationToken = default)
    {
        var lookups = LookupParameters(catalog).ToList();
        if (lookups.Count == 0)
        {
            return 0;
        }

        var filled = 0;
        foreach (var communityId in await CommunitiesToFillAsync(contexts, [.. lookups.Select(l => l.DefinitionId)], cancellationToken))
        {
            foreach (var (definitionId, paths) in lookups)
            {
                filled += await FillAsync(contexts, communityId, definitionId, paths, batchSize, cancellationToken);
            }
        }

        if (filled > 0)
        {
            logger.LogInformation("Subject keys filled for {Instances} consultations stored before they had one (decision 145).", filled);
        }

        return filled;
    }

    /// <summary>
    /// The communities with an instance of these processes still without a key, in one read: for each community an
    /// <c>EXISTS</c> that seeks the lookup's index on (community, process, no key), so every start after the first costs
    /// this one command however many communities share the database, and reads no instance.
    /// </summary>
    private static async Task<List<string>> CommunitiesToFillAsync(IDbContextFactory<WorkflowDbContext> contexts, List<string> definitionIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Communities.AsNoTracking()
            .Where(c => db.Instances.Any(i => i.CommunityId == c.Id && definitionIds.Contains(i.DefinitionId) && i.SubjectKey == null))
            .OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// One process of one community: by community, process and "no key yet", a seek on the lookup's index, so a start
    /// with nothing left to fill reads no instance.
    /// </summary>
    private static async Task<int> FillAsync(
        IDbContextFactory<WorkflowDbContext> contexts, string communityId, string definitionId, IReadOnlyDictionary<string, string> paths, int batchSize,
        CancellationToken cancellationToken)
    {
        var filled = 0;

        // Every row read is given a key (here or, meanwhile, by a step), so each batch is the next rows still without one.
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var batch = await db.Instances.AsNoTracking()
                .Where(i => i.CommunityId == communityId && i.DefinitionId == definitionId && i.SubjectKey == null)
                .OrderBy(i => i.Id)
                .Select(i => new { i.Id, i.StateJson })
                .Take(batchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return filled;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var row in batch)
            {
                var state = JsonSerializer.Deserialize<InstanceState>(row.StateJson, EngineJson.Options)!;
                var key = ConsultationSubject.KeyOfState(state, paths);
                filled += await db.Instances.Where(i => i.Id == row.Id && i.SubjectKey == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.SubjectKey, key), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>The parameter paths of the first <c>prior-consultations</c> lookup of each published process that has one.</summary>
    private static IEnumerable<(string DefinitionId, IReadOnlyDictionary<string, string> Paths)> LookupParameters(DefinitionCatalog catalog) =>
        catalog.Published
            .Select(d => (d.Id, Lookup: d.Activities.OfType<LookupActivity>().FirstOrDefault(a => a.Provider == PriorConsultationsProvider.LookupName)))
            .Where(d => d.Lookup is not null)
            .Select(d => (d.Id, d.Lookup!.Parameters));
}
