using Microsoft.EntityFrameworkCore;

namespace WorkflowHost.Persistence.InService;

/// <summary>A unit's registration rate: members registered with the community out of the total the unit gave.</summary>
public sealed record UnitRegistrationRate(string UnitId, string UnitNameZh, string UnitNameEn, int Registered, int Total)
{
    /// <summary>0–1; a unit that gave 0 has nobody to register, which counts as complete rather than dividing by zero.</summary>
    public double Rate => Total == 0 ? 1 : Math.Min(1, (double)Registered / Total);
}

/// <summary>The dashboard's in-service figures, read for one community.</summary>
public sealed class InServiceFigures(IDbContextFactory<WorkflowDbContext> contexts)
{
    /// <summary>Registration rate per unit, only for units that gave their total of in-service members and have not left.</summary>
    public async Task<IReadOnlyList<UnitRegistrationRate>> RegistrationRatesAsync(string communityId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var units = await db.Units.AsNoTracking().Where(u => u.CommunityId == communityId && u.InServiceMembers != null && u.LeftOn == null)
            .Select(u => new { u.Id, u.NameZh, u.NameEn, Total = u.InServiceMembers!.Value })
            .ToListAsync(cancellationToken);
        var ids = units.Select(u => u.Id).ToList();
        var registered = (await db.Set<Entities.InServiceRegistration>().AsNoTracking()
                .Where(r => r.CommunityId == communityId && ids.Contains(r.UnitId)).Select(r => r.UnitId).ToListAsync(cancellationToken))
            .GroupBy(u => u, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. units.OrderBy(u => u.NameZh, StringComparer.Ordinal)
            .Select(u => new UnitRegistrationRate(u.Id, u.NameZh, u.NameEn, registered.GetValueOrDefault(u.Id), u.Total))];
    }
}
