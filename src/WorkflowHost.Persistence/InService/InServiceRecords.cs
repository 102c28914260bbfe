using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.InService;

public sealed record ServedClaim(Guid ClaimId, Guid OfferId, string Kind, string? Category, string Title, string Status, DateOnly DueOn, DateOnly? ServedOn, int? Minutes);

/// <summary>A member's hours by calendar year, counted by the day served, from claims the office confirmed.</summary>
public sealed record HoursByYear(int Year, int MinutesThisYear, int MinutesLastYear)
{
    public decimal HoursThisYear => MinutesThisYear / 60m;

    public decimal HoursLastYear => MinutesLastYear / 60m;
}

public sealed record MemberRecord(
    string PersonId, string NameZh, InServiceRegistration? Registration, IReadOnlyList<EndedRegistration> Ended,
    HoursByYear Hours, IReadOnlyList<ServedClaim> Claims, int Participations, IReadOnlyList<AttendedActivity> Activities);

public sealed record OfferRow(ServiceOffer Offer, int PlacesLeft);

public sealed record ClaimToConfirm(Guid ClaimId, string PersonId, string NameZh, string Title, DateOnly DueOn, DateTimeOffset ClaimedAt);

public sealed record RosterRow(
    string PersonId, string NameZh, string UnitId, string UnitNameZh, DateOnly RegisteredOn, string? Branch, string? Phone, string? PreferredPosts, int MinutesThisYear,
    int ActivitiesThisYear);

/// <summary>What the in-service pages and the community record read: registrations, offers, claims and hours.</summary>
public sealed class InServiceRecords(IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time, IWorkingCalendar calendar)
{
    public DateOnly Today => calendar.DateOf(time.GetUtcNow());

    public async Task<MemberRecord?> MemberAsync(string communityId, string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId && p.CommunityId == communityId, cancellationToken);
        if (person is null)
        {
            return null;
        }

        var registration = await db.Set<InServiceRegistration>().AsNoTracking().SingleOrDefaultAsync(r => r.PersonId == personId && r.CommunityId == communityId, cancellationToken);
        var ended = await db.Set<EndedRegistration>().AsNoTracking().Where(r => r.PersonId == personId && r.CommunityId == communityId)
            .OrderByDescending(r => r.EndedOn).ToListAsync(cancellationToken);
        var claims = await ClaimsOfAsync(db, personId, cancellationToken);
        var participations = await db.Set<CommunityParticipation>().CountAsync(p => p.PersonId == personId, cancellationToken);
        var activities = await ParticipationLog.AttendedAsync(db, personId, null, cancellationToken);
        return new MemberRecord(personId, person.NameZh, registration, ended, Hours(claims, Today.Year), claims, participations, activities);
    }

    /// <summary>Every claim of the member, newest first, with its post or wish.</summary>
    internal static async Task<IReadOnlyList<ServedClaim>> ClaimsOfAsync(WorkflowDbContext db, string personId, CancellationToken cancellationToken) =>
        [.. (await db.Set<ServiceClaim>().AsNoTracking().Where(c => c.PersonId == personId)
                .Join(db.Set<ServiceOffer>().AsNoTracking(), c => c.OfferId, o => o.Id,
                    (c, o) => new ServedClaim(c.Id, o.Id, o.Kind, o.Category, o.Title, c.Status, c.DueOn, c.ServedOn, c.MinutesServed))
                .ToListAsync(cancellationToken))
            .OrderByDescending(c => c.DueOn).ThenBy(c => c.Title, StringComparer.Ordinal)];

    public static HoursByYear Hours(IEnumerable<ServedClaim> claims, int year)
    {
        var served = claims.Where(c => c.Status == ServiceClaimStatus.Completed && c.ServedOn is not null && c.Minutes is not null).ToList();
        return new HoursByYear(year,
            served.Where(c => c.ServedOn!.Value.Year == year).Sum(c => c.Minutes!.Value),
            served.Where(c => c.ServedOn!.Value.Year == year - 1).Sum(c => c.Minutes!.Value));
    }

    /// <summary>Posts and wishes whose date has not passed, soonest first, with the places left.</summary>
    public async Task<IReadOnlyList<OfferRow>> OpenOffersAsync(string communityId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var today = Today;
        var offers = await db.Set<ServiceOffer>().AsNoTracking().Where(o => o.CommunityId == communityId && o.DueOn >= today)
            .OrderBy(o => o.DueOn).ThenBy(o => o.Title).ToListAsync(cancellationToken);
        return [.. offers.Select(o => new OfferRow(o, Math.Max(0, o.Places - o.Claimed)))];
    }

    public async Task<IReadOnlyList<ClaimToConfirm>> ClaimsToConfirmAsync(string communityId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<ServiceClaim>().AsNoTracking().Where(c => c.CommunityId == communityId && c.Status == ServiceClaimStatus.Claimed)
            .Join(db.Set<ServiceOffer>().AsNoTracking(), c => c.OfferId, o => o.Id, (c, o) => new { c, o.Title })
            .Join(db.People.AsNoTracking(), x => x.c.PersonId, p => p.Id, (x, p) => new { x.c, x.Title, p.NameZh })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.c.DueOn).ThenBy(r => r.NameZh, StringComparer.Ordinal)
            .Select(r => new ClaimToConfirm(r.c.Id, r.c.PersonId, r.NameZh, r.Title, r.c.DueOn, r.c.ClaimedAt))];
    }

    /// <summary>
    /// The roster of registered members, optionally of one unit, one preferred post category, or those who served in one month
    /// (<paramref name="servedIn"/>: the dashboard's hours per month link here), by name.
    /// </summary>
    public async Task<IReadOnlyList<RosterRow>> RosterAsync(
        string communityId, string? unitId = null, string? category = null, DateOnly? servedIn = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Set<InServiceRegistration>().AsNoTracking().Where(r => r.CommunityId == communityId);
        if (unitId is not null)
        {
            query = query.Where(r => r.UnitId == unitId);
        }

        var rows = await query
            .Join(db.People.AsNoTracking(), r => r.PersonId, p => p.Id, (r, p) => new { r, p.NameZh })
            .Join(db.Units.AsNoTracking(), x => x.r.UnitId, u => u.Id, (x, u) => new { x.r, x.NameZh, UnitName = u.NameZh })
            .ToListAsync(cancellationToken);
        var year = Today.Year;
        var from = new DateOnly(year, 1, 1);
        var people = rows.Select(r => r.r.PersonId).ToList();
        var minutes = (await db.Set<ServiceClaim>().AsNoTracking()
                .Where(c => people.Contains(c.PersonId) && c.Status == ServiceClaimStatus.Completed && c.ServedOn >= from)
                .Select(c => new { c.PersonId, c.MinutesServed })
                .ToListAsync(cancellationToken))
            .GroupBy(c => c.PersonId).ToDictionary(g => g.Key, g => g.Sum(c => c.MinutesServed ?? 0), StringComparer.Ordinal);
        var activities = (await db.Set<CommunityParticipation>().AsNoTracking()
                .Where(p => people.Contains(p.PersonId) && p.Date >= from).Select(p => p.PersonId).ToListAsync(cancellationToken))
            .GroupBy(p => p, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var servedThen = servedIn is not { } month ? null
            : (await db.Set<ServiceClaim>().AsNoTracking()
                .Where(c => people.Contains(c.PersonId) && c.Status == ServiceClaimStatus.Completed && c.ServedOn >= month && c.ServedOn < month.AddMonths(1))
                .Select(c => c.PersonId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return [.. rows
            .Where(r => servedThen is null || servedThen.Contains(r.r.PersonId))
            .Where(r => category is null || (r.r.PreferredPosts ?? "").Split(',').Contains(category, StringComparer.Ordinal))
            .OrderBy(r => r.UnitName, StringComparer.Ordinal).ThenBy(r => r.NameZh, StringComparer.Ordinal)
            .Select(r => new RosterRow(r.r.PersonId, r.NameZh, r.r.UnitId, r.UnitName, r.r.RegisteredOn, r.r.Branch, r.r.Phone, r.r.PreferredPosts,
                minutes.GetValueOrDefault(r.r.PersonId), activities.GetValueOrDefault(r.r.PersonId)))];
    }

    /// <summary>Hours served in the community per month of a year (1–12), in minutes: the dashboard's figure.</summary>
    public async Task<IReadOnlyList<int>> MinutesPerMonthAsync(string communityId, int year, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var from = new DateOnly(year, 1, 1);
        var to = from.AddYears(1);
        var served = await db.Set<ServiceClaim>().AsNoTracking()
            .Where(c => c.CommunityId == communityId && c.Status == ServiceClaimStatus.Completed && c.ServedOn >= from && c.ServedOn < to)
            .Select(c => new { c.ServedOn, c.MinutesServed })
            .ToListAsync(cancellationToken);
        return [.. Enumerable.Range(1, 12).Select(m => served.Where(c => c.ServedOn!.Value.Month == m).Sum(c => c.MinutesServed ?? 0))];
    }

    /// <summary>The member's own registration waiting for the office (a running <c>in-service-registration</c>), if any.</summary>
    public async Task<Guid?> PendingRegistrationAsync(string communityId, string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Instances.AsNoTracking()
            .Where(i => i.CommunityId == communityId && i.InitiatorId == personId && i.DefinitionId == RegistrationProcess && i.Status == InstanceRowStatus.Running)
            .OrderByDescending(i => i.CreatedAt).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public const string RegistrationProcess = "in-service-registration";
}
