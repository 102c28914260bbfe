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
/// run finds nothing, and nothing moves back when the leave ends.
/// </summary>
public sealed class LeaveRouting(IDbContextFactory<WorkflowDbContext> contexts, WorkflowCommands commands, IWorkingCalendar calendar, TimeProvider time, ILogger<LeaveRouting> logger)
{
    public async Task<int> ApplyAsync(string? personId = null, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), calendar.TimeZone).DateTime);
        List<(Guid InstanceId, string CommunityId, string PersonId)> cases;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var person = StoredName.Of(AssignmentKind.Person);
            var away = db.Absences.AsNoTracking().Where(a => a.FirstDay <= today && a.LastDay >= today && (personId == null || a.PersonId == personId));
            var rows = await db.WorkItems.AsNoTracking()
                .Where(w => w.Kind == WorkItemKind.Task && w.Status == WorkItemStatus.Open)
                .Join(away, w => w.CommunityId, a => a.CommunityId, (w, a) => new { w.InstanceId, w.CommunityId, a.PersonId, a.DeputyId, w.AssigneeKind, w.AssigneeValue, w.HolderId, w.DelegateId })
                .Where(x => (x.AssigneeKind == person && x.AssigneeValue == x.PersonId && x.DeputyId != null) || (x.HolderId == x.PersonId && x.DelegateId == null))
                .Select(x => new { x.InstanceId, x.CommunityId, x.PersonId })
                .Distinct()
                .ToListAsync(cancellationToken);
            cases = [.. rows.Select(r => (r.InstanceId, r.CommunityId, r.PersonId))];
        }

        var moved = 0;
        foreach (var (instanceId, communityId, person) in cases)
        {
            var result = await commands.ResumeAsync(new ResumeCommand(instanceId, communityId, new RouteForLeave(person)), cancellationToken);
            if (result.Succeeded)
            {
                moved++;
            }
            else
            {
                // An opinion task (加签) or a deputy who is away too: the engine leaves it where it is.
                logger.LogDebug("Leave of {Person} moved nothing in {Instance}: {Refusal}.", person, instanceId, result.Refusal);
            }
        }

        return moved;
    }
}
