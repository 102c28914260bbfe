using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.InService;

/// <summary>A removed attendance entry, as the activity's sheet lists it: whom, what it said, who removed it, when and why.</summary>
public sealed record RemovedAttendance(
    string PersonId, string? NameZh, string Source, string Role, string RemovedBy, string? RemovedByNameZh, DateTimeOffset RemovedAt, string Reason);

public sealed partial class ParticipationLog
{
    public const int MaxRemovalReasonLength = 500;

    /// <summary>
    /// The office removes a member's entry for an activity, with a reason (decision 139). The entry goes, so the member's
    /// count, the roster and the community record drop it and a check-in may record it again; an
    /// <see cref="AttendanceRemoval"/> keeps what it was. The delete decides a race: of two removals of one entry, the one
    /// that deletes nothing is told it was removed already, and adds nothing; the member's notice goes with the removal.
    /// </summary>
    public async Task<LogResult> RemoveAttendanceAsync(string actorId, string communityId, Guid instanceId, string personId, string reason, CancellationToken cancellationToken = default)
    {
        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await ActivityAsync(db, communityId, instanceId, cancellationToken) is not { } activity)
        {
            return new LogResult(LogOutcome.NotFound, $"There is no activity '{instanceId}' to remove attendance from.");
        }

        var entry = await db.Set<CommunityParticipation>().AsNoTracking()
            .SingleOrDefaultAsync(p => p.InstanceId == instanceId && p.PersonId == personId, cancellationToken);
        if (entry is null || await db.Set<CommunityParticipation>().Where(p => p.Id == entry.Id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return await db.Set<AttendanceRemoval>().AnyAsync(r => r.InstanceId == instanceId && r.PersonId == personId, cancellationToken)
                ? new LogResult(LogOutcome.AlreadyRemoved, $"'{personId}' is not counted for this activity: the entry was removed.")
                : new LogResult(LogOutcome.NotCounted, $"'{personId}' is not counted for this activity.");
        }

        var now = time.GetUtcNow();
        var removal = new AttendanceRemoval
        {
            Id = Guid.NewGuid(), CommunityId = communityId, InstanceId = instanceId, PersonId = personId, Date = entry.Date, Title = entry.Title,
            Source = entry.Source, Role = entry.Role, RecordedBy = entry.RecordedBy, RecordedAt = entry.RecordedAt,
            RemovedBy = actorId, RemovedAt = now, Reason = reason,
        };
        db.Set<AttendanceRemoval>().Add(removal);
        // Only the removal that deleted the entry gets here, so the member is told once, with it, or not at all.
        await AttendanceRemovalNotices.AddAsync(db, removal, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LogResult(LogOutcome.Done, "", Title: activity.Title);
    }

    /// <summary>The entries removed from an activity, newest first.</summary>
    public async Task<IReadOnlyList<RemovedAttendance>> RemovalsAsync(string communityId, Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<AttendanceRemoval>().AsNoTracking().Where(r => r.CommunityId == communityId && r.InstanceId == instanceId)
            .Select(r => new RemovedAttendance(
                r.PersonId, db.People.Where(p => p.Id == r.PersonId).Select(p => p.NameZh).FirstOrDefault(), r.Source, r.Role,
                r.RemovedBy, db.People.Where(p => p.Id == r.RemovedBy).Select(p => p.NameZh).FirstOrDefault(), r.RemovedAt, r.Reason))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.RemovedAt)];
    }
}
