using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Persistence.Participants;

/// <summary>
/// Who is who in a community, as the engine needs it. Kept for a short while because every vote needs it and it
/// changes rarely; <see cref="Invalidate"/> drops it at once when the directory is edited in this process.
/// </summary>
public sealed class DirectoryCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (DateTimeOffset LoadedAt, ParticipantDirectory Directory)> _entries = new(StringComparer.Ordinal);

    public async Task<IParticipantDirectory> GetAsync(WorkflowDbContext db, string communityId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(communityId, out var entry) && now - entry.LoadedAt < Lifetime)
        {
            return entry.Directory;
        }

        var people = await db.People.AsNoTracking()
            .Where(p => p.CommunityId == communityId)
            .Select(p => new { p.Id, p.UnitId, p.Language, Roles = p.Roles.Select(r => r.Role).ToList() })
            .ToListAsync(cancellationToken);
        var directory = new ParticipantDirectory(people.Select(p =>
            new DirectoryPerson(p.Id, p.UnitId, p.Roles.ToHashSet(StringComparer.Ordinal), p.Language)));
        _entries[communityId] = (now, directory);
        return directory;
    }

    public void Invalidate(string communityId) => _entries.TryRemove(communityId, out _);
}
