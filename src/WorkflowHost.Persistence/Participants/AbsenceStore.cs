using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Participants;

/// <summary>What a person set as their leave, checked; or why it was refused, with the field at fault.</summary>
public sealed record AbsenceChange(DateOnly FirstDay, DateOnly LastDay, string? DeputyId);

public sealed record AbsenceRefusal(string Field, string Message);

/// <summary>
/// 请假 with a deputy: one row per person, set or cleared by the person themselves. Each change moves the community's
/// directory version stamp in the same transaction, so every host's next step sees it (decision 110).
/// </summary>
public sealed class AbsenceStore(IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time)
{
    public const int MaxDays = 366;

    public async Task<Absence?> GetAsync(string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Absences.AsNoTracking().FirstOrDefaultAsync(a => a.PersonId == personId, cancellationToken);
    }

    /// <summary>The people of the community on leave on <paramref name="day"/> or later, for the ballot page and the inbox.</summary>
    public async Task<IReadOnlyList<Absence>> CurrentAsync(string communityId, DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Absences.AsNoTracking().Where(a => a.CommunityId == communityId && a.LastDay >= day).ToListAsync(cancellationToken);
    }

    public async Task<AbsenceRefusal?> SetAsync(string communityId, string personId, AbsenceChange change, DateOnly today, CancellationToken cancellationToken = default)
    {
        if (change.LastDay < change.FirstDay)
        {
            return new AbsenceRefusal("lastDay", "The last day must not be before the first day.");
        }

        if (change.LastDay < today)
        {
            return new AbsenceRefusal("lastDay", "The leave is already over.");
        }

        if (change.LastDay.DayNumber - change.FirstDay.DayNumber >= MaxDays)
        {
            return new AbsenceRefusal("lastDay", $"A leave is at most {MaxDays} days; set a new one when it ends.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (change.DeputyId is { } deputy)
        {
            if (deputy == personId)
            {
                return new AbsenceRefusal("deputy", "You cannot deputise for yourself.");
            }

            if (!await db.People.AnyAsync(p => p.Id == deputy && p.CommunityId == communityId && p.Roles.Any(), cancellationToken))
            {
                return new AbsenceRefusal("deputy", $"'{deputy}' is not an active person of this community.");
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.Absences.FirstOrDefaultAsync(a => a.PersonId == personId, cancellationToken);
        if (row is null)
        {
            row = new Absence { PersonId = personId, CommunityId = communityId };
            db.Absences.Add(row);
        }

        (row.FirstDay, row.LastDay, row.DeputyId, row.SetAt) = (change.FirstDay, change.LastDay, change.DeputyId, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await ForgetRoutingMissesAsync(db, personId, cancellationToken);
        await BumpDirectoryAsync(db, communityId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public async Task ClearAsync(string communityId, string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Absences.Where(a => a.PersonId == personId).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            await ForgetRoutingMissesAsync(db, personId, cancellationToken);
            await BumpDirectoryAsync(db, communityId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The leave's remembered misses (0136) belong to the old dates; the stamp's bump would void them anyway, this frees the rows.</summary>
    private static Task<int> ForgetRoutingMissesAsync(WorkflowDbContext db, string personId, CancellationToken cancellationToken) =>
        db.LeaveRoutingMisses.Where(m => m.PersonId == personId).ExecuteDeleteAsync(cancellationToken);

    private static Task<int> BumpDirectoryAsync(WorkflowDbContext db, string communityId, CancellationToken cancellationToken) =>
        db.Communities.Where(c => c.Id == communityId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DirectoryVersion, c => c.DirectoryVersion + 1), cancellationToken);
}
