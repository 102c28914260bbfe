using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Persistence.Participants;

/// <summary>
/// Who is who in a community, as the engine needs it. Every step reads the community's directory version stamp (one
/// small query on the step's own context) and reloads when it moved, so an edit made by any host sharing the database is
/// seen by the very next step; there is no timer to wait out (decision 110).
/// </summary>
public sealed class DirectoryCache
{
    private readonly ConcurrentDictionary<string, (long Version, ParticipantDirectory Directory)> _entries = new(StringComparer.Ordinal);

    public async Task<IParticipantDirectory> GetAsync(WorkflowDbContext db, string communityId, CancellationToken cancellationToken = default)
    {
        var version = await db.Communities.AsNoTracking()
            .Where(c => c.Id == communityId)
            .Select(c => c.DirectoryVersion)
            .FirstOrDefaultAsync(cancellationToken);
        return await GetAsync(db, communityId, version, cancellationToken);
    }

    /// <summary>
    /// The directory at a version stamp the caller has just read on <paramref name="db"/>, in the same transaction (a step
    /// reads it with its instance, saving the stamp's own query).
    /// </summary>
    public async Task<IParticipantDirectory> GetAsync(WorkflowDbContext db, string communityId, long version, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(communityId, out var entry) && entry.Version == version)
        {
            return entry.Directory;
        }

        var people = await db.People.AsNoTracking()
            .Where(p => p.CommunityId == communityId)
            .Select(p => new { p.Id, p.UnitId, p.Language, Roles = p.Roles.Select(r => r.Role).ToList() })
            .ToListAsync(cancellationToken);
        // Leaves (请假) belong to the directory: setting one moves the version stamp, so the next step routes by it.
        var absences = await db.Absences.AsNoTracking()
            .Where(a => a.CommunityId == communityId)
            .ToDictionaryAsync(a => a.PersonId, a => new PersonAbsence(a.FirstDay, a.LastDay, a.DeputyId), StringComparer.Ordinal, cancellationToken);
        var directory = new ParticipantDirectory(people.Select(p =>
            new DirectoryPerson(p.Id, p.UnitId, p.Roles.ToHashSet(StringComparer.Ordinal), p.Language) { Absence = absences.GetValueOrDefault(p.Id) }));
        _entries[communityId] = (version, directory);
        return directory;
    }

    /// <summary>Drops a community's entry; the version stamp makes this unnecessary for correctness, it only frees memory.</summary>
    public void Invalidate(string communityId) => _entries.TryRemove(communityId, out _);
}
