using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.InService.Feedback;

/// <summary>One member's year as the review and the letter report it: confirmed hours, posts and wishes served, activities.</summary>
public sealed record MemberYear(int Minutes, int Posts, int Wishes, int Activities)
{
    public static readonly MemberYear None = new(0, 0, 0, 0);

    public decimal Hours => Minutes / 60m;
}

/// <summary>
/// The figures of a year per member, counted like the member's page counts hours (decision 0123): confirmed claims by the
/// day served, in the community. Activities are the community participations recorded for the year; when the participation
/// log (check-ins, attendance) lands, its rows are counted here too — this is the one place that needs to learn of them.
/// </summary>
internal static class FeedbackFigures
{
    public static async Task<IReadOnlyDictionary<string, MemberYear>> ForAsync(
        WorkflowDbContext db, string communityId, int year, IReadOnlyCollection<string> people, CancellationToken cancellationToken)
    {
        var from = new DateOnly(year, 1, 1);
        var to = from.AddYears(1);
        var served = await db.Set<ServiceClaim>().AsNoTracking()
            .Where(c => c.CommunityId == communityId && people.Contains(c.PersonId) && c.Status == ServiceClaimStatus.Completed
                && c.ServedOn >= from && c.ServedOn < to)
            .Join(db.Set<ServiceOffer>().AsNoTracking(), c => c.OfferId, o => o.Id, (c, o) => new { c.PersonId, o.Kind, c.MinutesServed })
            .ToListAsync(cancellationToken);
        var activities = await db.Set<CommunityParticipation>().AsNoTracking()
            .Where(p => p.CommunityId == communityId && people.Contains(p.PersonId) && p.Date >= from && p.Date < to)
            .GroupBy(p => p.PersonId)
            .Select(g => new { PersonId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.PersonId, g => g.Count, cancellationToken);
        return people.Distinct(StringComparer.Ordinal).ToDictionary(p => p, p =>
        {
            var mine = served.Where(s => s.PersonId == p).ToList();
            return new MemberYear(mine.Sum(s => s.MinutesServed ?? 0), mine.Count(s => s.Kind == ServiceOfferKind.Post),
                mine.Count(s => s.Kind == ServiceOfferKind.Wish), activities.GetValueOrDefault(p));
        }, StringComparer.Ordinal);
    }

    /// <summary>The members a year's review covers: registered with the community on or before the year's last day.</summary>
    public static async Task<IReadOnlyList<InServiceRegistration>> RegisteredAsync(WorkflowDbContext db, string communityId, int year, CancellationToken cancellationToken)
    {
        var last = new DateOnly(year, 12, 31);
        return await db.Set<InServiceRegistration>().AsNoTracking()
            .Where(r => r.CommunityId == communityId && r.RegisteredOn <= last)
            .OrderBy(r => r.UnitId).ThenBy(r => r.PersonId)
            .ToListAsync(cancellationToken);
    }
}
