using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;

namespace WorkflowHost.Features.Communities;

public sealed record UnitView(string Id, string NameZh, string NameEn, string Kind, DateOnly? JoinedOn, DateOnly? LeftOn, DateOnly? AgreementSignedOn, string? AgreementText, int Version,
    int? InServiceMembers = null);

public sealed record RolePeriodView(string Role, DateOnly From, DateOnly? To);

public sealed record PersonView(
    string Id, string NameZh, string NameEn, string? UnitId, string? TitleZh, string? TitleEn, string? Email, string Language,
    IReadOnlyList<string> Roles, IReadOnlyList<RolePeriodView> RoleHistory, DateTimeOffset? DeactivatedAt, int Version);

public sealed record TermMemberView(string PersonId, string Kind, string? UnitId, DateOnly JoinedOn, DateOnly? LeftOn);

public sealed record TermView(string Id, int Number, DateOnly StartsOn, DateOnly? EndsOn, IReadOnlyList<TermMemberView> Members);

public sealed record DirectoryView(string CommunityId, string NameZh, string NameEn, string StreetZh, string StreetEn, long Version,
    IReadOnlyList<UnitView> Units, IReadOnlyList<PersonView> People, IReadOnlyList<TermView> Terms);

public sealed record DirectoryChangeView(Guid Id, DateTimeOffset At, string ActorId, string Kind, string SubjectId, JsonNode? Before, JsonNode? After);

/// <summary>One community in numbers, for the street committee and the district's overview.</summary>
public sealed record CommunitySummary(string Id, string NameZh, string NameEn, string StreetZh, string StreetEn, int Units, int People, int CommitteeMembers);

/// <summary>Reads a community's directory, its change journal and summaries. Callers have passed <see cref="Api.Tenancy"/> first.</summary>
public sealed class DirectoryReader(IDbContextFactory<WorkflowDbContext> contexts)
{
    public async Task<DirectoryView?> ReadAsync(string communityId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var community = await db.Communities.AsNoTracking().FirstOrDefaultAsync(c => c.Id == communityId, cancellationToken);
        if (community is null)
        {
            return null;
        }

        var units = await db.Units.AsNoTracking().Where(u => u.CommunityId == communityId).OrderBy(u => u.Id)
            .Select(u => new UnitView(u.Id, u.NameZh, u.NameEn, u.Kind, u.JoinedOn, u.LeftOn, u.AgreementSignedOn, u.AgreementText, u.Version, u.InServiceMembers))
            .ToListAsync(cancellationToken);
        var periods = (await db.RolePeriods.AsNoTracking().Where(r => r.CommunityId == communityId).ToListAsync(cancellationToken))
            .ToLookup(r => r.PersonId, StringComparer.Ordinal);
        var people = (await db.People.AsNoTracking().Include(p => p.Roles).Where(p => p.CommunityId == communityId).OrderBy(p => p.Id).ToListAsync(cancellationToken))
            .Select(p => new PersonView(p.Id, p.NameZh, p.NameEn, p.UnitId, p.TitleZh, p.TitleEn, p.Email, p.Language,
                [.. p.Roles.Select(r => r.Role).Order(StringComparer.Ordinal)],
                [.. periods[p.Id].OrderBy(r => r.From).ThenBy(r => r.Role, StringComparer.Ordinal).Select(r => new RolePeriodView(r.Role, r.From, r.To))],
                p.DeactivatedAt, p.Version))
            .ToList();
        var terms = (await db.CommitteeTerms.AsNoTracking().Include(t => t.Members).Where(t => t.CommunityId == communityId).ToListAsync(cancellationToken))
            .OrderByDescending(t => t.Number)
            .Select(t => new TermView(t.Id, t.Number, t.StartsOn, t.EndsOn,
                [.. t.Members.OrderBy(m => m.Kind, StringComparer.Ordinal).ThenBy(m => m.PersonId, StringComparer.Ordinal)
                    .Select(m => new TermMemberView(m.PersonId, m.Kind, m.UnitId, m.JoinedOn, m.LeftOn))]))
            .ToList();
        return new DirectoryView(community.Id, community.NameZh, community.NameEn, community.StreetZh, community.StreetEn, community.DirectoryVersion, units, people, terms);
    }

    public async Task<IReadOnlyList<DirectoryChangeView>> ChangesAsync(string communityId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.DirectoryChanges.AsNoTracking().Where(c => c.CommunityId == communityId)
            .OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(c => new DirectoryChangeView(c.Id, c.At, c.ActorId, c.Kind, c.SubjectId,
            c.BeforeJson is null ? null : JsonNode.Parse(c.BeforeJson), c.AfterJson is null ? null : JsonNode.Parse(c.AfterJson)))];
    }

    public async Task<IReadOnlyList<CommunitySummary>> SummariesAsync(IReadOnlyList<string> communityIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = communityIds.ToList();
        return await db.Communities.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id)
            .Select(c => new CommunitySummary(c.Id, c.NameZh, c.NameEn, c.StreetZh, c.StreetEn,
                db.Units.Count(u => u.CommunityId == c.Id && u.LeftOn == null),
                db.People.Count(p => p.CommunityId == c.Id && p.DeactivatedAt == null),
                db.PersonRoles.Count(r => r.Role == RoleNames.CommitteeMember && db.People.Any(p => p.Id == r.PersonId && p.CommunityId == c.Id))))
            .ToListAsync(cancellationToken);
    }
}
