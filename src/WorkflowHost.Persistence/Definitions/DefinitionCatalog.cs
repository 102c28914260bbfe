using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Definitions;

/// <summary>
/// The published definitions (the newest revision of each file) and every revision ever stored, by content hash.
/// Loading refuses the whole folder if any file is invalid, so the host never starts half-configured.
/// </summary>
public sealed class DefinitionCatalog(TimeProvider time, ILogger<DefinitionCatalog> logger)
{
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _byHash = new(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, WorkflowDefinition> _current = new Dictionary<string, WorkflowDefinition>();

    /// <summary>
    /// Sorted once per load, not per call: every API request's caller reads it (its collection windows), and sorting
    /// it each time was a vote's allocation (issue 18). A new load publishes a new collection, never changes this one.
    /// </summary>
    private volatile WorkflowDefinition[] _published = [];

    public IReadOnlyCollection<WorkflowDefinition> Published => _published;

    public WorkflowDefinition? Current(string definitionId) => _current.GetValueOrDefault(definitionId);

    /// <summary>Reads and validates every file, stores revisions not seen before, and publishes them.</summary>
    public async Task LoadAsync(WorkflowDbContext db, string folder, CancellationToken cancellationToken = default)
    {
        var definitions = DefinitionReader.ReadDirectory(folder);
        var hashes = definitions.Select(d => d.ContentHash).ToList();
        var known = await db.DefinitionRevisions.Where(r => hashes.Contains(r.ContentHash)).Select(r => r.ContentHash).ToListAsync(cancellationToken);
        foreach (var definition in definitions.Where(d => !known.Contains(d.ContentHash)))
        {
            db.DefinitionRevisions.Add(new DefinitionRevision
            {
                ContentHash = definition.ContentHash, DefinitionId = definition.Id, Version = definition.Version,
                SourceJson = definition.SourceJson, FirstLoadedAt = time.GetUtcNow(),
            });
            logger.LogInformation("Stored new revision {Revision} of {DefinitionId}.", definition.Revision, definition.Id);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var definition in definitions)
        {
            _byHash[definition.ContentHash] = definition;
        }

        _current = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        _published = [.. _current.Values.OrderBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>The exact revision an instance started on, from memory or from the database.</summary>
    public async Task<WorkflowDefinition> GetRevisionAsync(WorkflowDbContext db, string contentHash, CancellationToken cancellationToken = default)
    {
        if (_byHash.TryGetValue(contentHash, out var cached))
        {
            return cached;
        }

        var stored = await db.DefinitionRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.ContentHash == contentHash, cancellationToken)
            ?? throw new InvalidOperationException($"Definition revision {contentHash} is not stored.");
        return _byHash.GetOrAdd(contentHash, _ => DefinitionReader.ReadStored(stored.SourceJson));
    }
}
