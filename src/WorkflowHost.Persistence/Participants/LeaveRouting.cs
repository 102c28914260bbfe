using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Participants;

/// <summary>
/// Tasks already open when a leave starts (docs/decisions/0132): for each person away today, each running case where
/// they have a task in hand (assigned to them by name, when they named a deputy; or a role task they claimed) gets the
/// engine's <see cref="RouteForLeave"/> step, which moves and journals them. Run when a leave is set and by the overdue
/// sweep every minute, so a leave set ahead takes effect on its first day. Once moved, the rows no longer match: a second
/// run finds nothing, and nothing moves back when the leave ends. A case where nothing could move (the deputy is away
/// too, or only opinion tasks are left) is remembered with what it depends on and not asked again until that changes
/// (docs/decisions/0136).
/// </summary>
public sealed class LeaveRouting(IDbContextFactory<WorkflowDbContext> contexts, WorkflowCommands commands, IWorkingCalendar calendar, TimeProvider time, ILogger<LeaveRouting> logger)
{
    private sealed record Candidate(Guid InstanceId, string CommunityId, string PersonId, string? DeputyId, int InstanceVersion, long DirectoryVersion);

    public async Task<int> ApplyAsync(string? personId = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, calendar.TimeZone).DateTime);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cases = await CandidatesAsync(db, today, personId, cancellationToken);
        var moved = 0;
        foreach (var candidate in cases)
        {
            var result = await commands.ResumeAsync(new ResumeCommand(candidate.InstanceId, candidate.CommunityId, new RouteForLeave(candidate.PersonId)), cancellationToken);
            if (result.Succeeded)
            {
                moved++;
                await db.LeaveRoutingMisses.Where(m => m.PersonId == candidate.PersonId && m.InstanceId == candidate.InstanceId).ExecuteDeleteAsync(cancellationToken);
            }
            else if (result.Refusal == RefusalCode.NotFound)
            {
                // An opinion task (加签) or a deputy who is away too: the engine leaves it where it is, and so will the
                // next sweeps until the directory, the case or the calendar (the deputy's return) gives a reason to ask.
                logger.LogDebug("Leave of {Person} moved nothing in {Instance}: {Refusal}.", candidate.PersonId, candidate.InstanceId, result.Refusal);
                await RememberAsync(db, candidate, today, now, cancellationToken);
            }
            else
            {
                logger.LogDebug("Leave of {Person} in {Instance} was refused ({Refusal}); the next sweep tries again.", candidate.PersonId, candidate.InstanceId, result.Refusal);
            }
        }

        return moved;
    }

    /// <summary>
    /// The cases to ask about, with the versions read before asking: a change between this read and the step makes the
    /// remembered versions stale, so such a case is asked once more rather than skipped by mistake.
    /// </summary>
    private static async Task<List<Candidate>> CandidatesAsync(WorkflowDbContext db, DateOnly today, string? personId, CancellationToken cancellationToken)
    {
        var person = StoredName.Of(AssignmentKind.Person);
        var away = db.Absences.AsNoTracking().Where(a => a.FirstDay <= today && a.LastDay >= today && (personId == null || a.PersonId == personId));
        var rows = await db.WorkItems.AsNoTracking()
            .Where(w => w.Kind == WorkItemKind.Task && w.Status == WorkItemStatus.Open)
            .Join(away, w => w.CommunityId, a => a.CommunityId, (w, a) => new { w.InstanceId, w.CommunityId, a.PersonId, a.DeputyId, w.AssigneeKind, w.AssigneeValue, w.HolderId, w.DelegateId })
            .Where(x => (x.AssigneeKind == person && x.AssigneeValue == x.PersonId && x.DeputyId != null) || (x.HolderId == x.PersonId && x.DelegateId == null))
            .Join(db.Instances, x => x.InstanceId, i => i.Id, (x, i) => new { x.InstanceId, x.CommunityId, x.PersonId, x.DeputyId, InstanceVersion = i.Version })
            .Join(db.Communities, x => x.CommunityId, c => c.Id, (x, c) => new { x.InstanceId, x.CommunityId, x.PersonId, x.DeputyId, x.InstanceVersion, c.DirectoryVersion })
            .Where(x => !db.LeaveRoutingMisses.Any(m => m.PersonId == x.PersonId && m.InstanceId == x.InstanceId
                && m.DirectoryVersion == x.DirectoryVersion && m.InstanceVersion == x.InstanceVersion && (m.RetryOn == null || m.RetryOn > today)))
            .Distinct()
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new Candidate(r.InstanceId, r.CommunityId, r.PersonId, r.DeputyId, r.InstanceVersion, r.DirectoryVersion))];
    }

    /// <summary>Records the miss; its retry day is the deputy's return when the deputy is away today, otherwise none.</summary>
    private static async Task RememberAsync(WorkflowDbContext db, Candidate candidate, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deputyBack = candidate.DeputyId is { } deputy
            ? await db.Absences.AsNoTracking().Where(a => a.PersonId == deputy && a.FirstDay <= today && a.LastDay >= today)
                .Select(a => (DateOnly?)a.LastDay).FirstOrDefaultAsync(cancellationToken)
            : null;
        var row = await db.LeaveRoutingMisses.FirstOrDefaultAsync(m => m.PersonId == candidate.PersonId && m.InstanceId == candidate.InstanceId, cancellationToken);
        if (row is null)
        {
            row = new LeaveRoutingMiss { PersonId = candidate.PersonId, InstanceId = candidate.InstanceId };
            db.LeaveRoutingMisses.Add(row);
        }

        (row.DirectoryVersion, row.InstanceVersion, row.RetryOn, row.TriedAt) =
            (candidate.DirectoryVersion, candidate.InstanceVersion, deputyBack?.AddDays(1), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear(); // another host's sweep remembered it first; either record serves
        }
    }
}
