using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Landing;

/// <summary>
/// What the landing page tells a signed-in person about their own community (decision 150). <see cref="RunningCases"/>
/// and <see cref="OverdueItems"/> only for those who see the whole community (secretary, office, administrator).
/// </summary>
public sealed record CommunitySummary(
    string NameZh, string NameEn, string StreetZh, string StreetEn, int UnreadNotices, int? RunningCases = null, int? OverdueItems = null);

/// <summary>
/// Reads <see cref="CommunitySummary"/> in one query. Every count is a seek on an index that starts with the reader's
/// community (instances by community and status, work items by community and status) or with the reader (their
/// notifications), and counts what is open now: it never groups or scans all instances, so its cost does not grow
/// with the cases the database has stored, and it shows nothing of another community (decision 150).
/// </summary>
public sealed class CommunitySummaryReader(IDbContextFactory<WorkflowDbContext> contexts)
{
    public async Task<CommunitySummary?> ReadAsync(Caller caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var community = caller.CommunityId;
        var me = caller.PersonId;
        var ofCommunity = db.Communities.AsNoTracking().Where(c => c.Id == community);
        var unread = db.Notifications.Where(n => n.RecipientId == me && n.ReadAt == null);
        if (!caller.SeesWholeCommunity)
        {
            return await ofCommunity
                .Select(c => new CommunitySummary(c.NameZh, c.NameEn, c.StreetZh, c.StreetEn, unread.Count(), null, null))
                .FirstOrDefaultAsync(cancellationToken);
        }

        var running = db.Instances.Where(i => i.CommunityId == community && i.Status == InstanceRowStatus.Running);
        var overdue = db.WorkItems.Where(w => w.CommunityId == community && w.Status == WorkItemStatus.Open && w.DueAt < now);
        return await ofCommunity
            .Select(c => new CommunitySummary(c.NameZh, c.NameEn, c.StreetZh, c.StreetEn, unread.Count(), running.Count(), overdue.Count()))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
