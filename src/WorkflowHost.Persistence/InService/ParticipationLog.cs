using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.InService;

/// <summary>An activity co-organisation the office can take attendance for, with how many members were counted.</summary>
public sealed record ActivityRow(Guid InstanceId, string Title, DateOnly Date, string? Place, string Status, int Attended, CheckInView? OpenCheckIn);

public sealed record CheckInView(Guid Id, string Code, DateTimeOffset OpensAt, DateTimeOffset ClosesAt);

/// <summary>One registered member on an activity's attendance sheet: counted or not, and how.</summary>
public sealed record AttendanceRow(string PersonId, string NameZh, string UnitNameZh, string? Source, string? Role);

public sealed record AttendanceSheet(ActivityRow Activity, IReadOnlyList<AttendanceRow> Members);

/// <summary>An activity a member took part in, for their page, the roster and the community record.</summary>
public sealed record AttendedActivity(DateOnly Date, string Title, string Source, string Role, Guid? InstanceId);

/// <summary>
/// The participation log (参加社区活动): activity co-organisations of the committee's own processes that a registered member
/// attended or volunteered at, counted once per member and activity (a unique index), whether the lead organiser's summary,
/// the office's attendance or the member's own check-in recorded it. Refusals change nothing.
/// </summary>
public sealed partial class ParticipationLog(IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time, IWorkingCalendar calendar, StepWriteGate writeGate)
{
    public const string ActivityProcess = "activity-co-organisation";

    /// <summary>A process that ended as declined (not approved) never took place: no attendance for it.</summary>
    private const string DeclinedResult = "declined";

    public DateOnly Today => calendar.DateOf(time.GetUtcNow());

    /// <summary>The community's activities that took or will take place, newest date first, with counts and any open check-in.</summary>
    public async Task<IReadOnlyList<ActivityRow>> ActivitiesAsync(string communityId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Instances.AsNoTracking()
            .Where(i => i.CommunityId == communityId && i.DefinitionId == ActivityProcess && i.Status != InstanceRowStatus.Withdrawn
                && (i.Result == null || i.Result != DeclinedResult))
            .Select(i => new { i.Id, i.Status, i.StateJson })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => (Guid?)r.Id).ToList();
        var counts = (await db.Set<CommunityParticipation>().AsNoTracking().Where(p => ids.Contains(p.InstanceId))
                .Select(p => p.InstanceId).ToListAsync(cancellationToken))
            .GroupBy(i => i!.Value).ToDictionary(g => g.Key, g => g.Count());
        var open = await OpenCheckInsAsync(db, communityId, cancellationToken);
        return [.. rows.Select(r => Describe(r.Id, r.Status, r.StateJson, counts.GetValueOrDefault(r.Id), open.GetValueOrDefault(r.Id)))
            .OrderByDescending(a => a.Date).ThenBy(a => a.Title, StringComparer.Ordinal)];
    }

    /// <summary>The attendance sheet of one activity: every member registered with the community, counted or not.</summary>
    public async Task<AttendanceSheet?> SheetAsync(string communityId, Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await ActivityAsync(db, communityId, instanceId, cancellationToken) is not { } activity)
        {
            return null;
        }

        var counted = await db.Set<CommunityParticipation>().AsNoTracking().Where(p => p.InstanceId == instanceId)
            .ToDictionaryAsync(p => p.PersonId, StringComparer.Ordinal, cancellationToken);
        var members = await db.Set<InServiceRegistration>().AsNoTracking().Where(r => r.CommunityId == communityId)
            .Join(db.People.AsNoTracking(), r => r.PersonId, p => p.Id, (r, p) => new { r.PersonId, r.UnitId, p.NameZh })
            .Join(db.Units.AsNoTracking(), x => x.UnitId, u => u.Id, (x, u) => new { x.PersonId, x.NameZh, UnitName = u.NameZh })
            .ToListAsync(cancellationToken);
        return new AttendanceSheet(activity, [.. members
            .OrderBy(m => m.UnitName, StringComparer.Ordinal).ThenBy(m => m.NameZh, StringComparer.Ordinal)
            .Select(m => new AttendanceRow(m.PersonId, m.NameZh, m.UnitName,
                counted.GetValueOrDefault(m.PersonId)?.Source, counted.GetValueOrDefault(m.PersonId)?.Role))]);
    }

    /// <summary>The activities a member took part in, newest first; <paramref name="year"/> limits them to one calendar year.</summary>
    public static async Task<IReadOnlyList<AttendedActivity>> AttendedAsync(WorkflowDbContext db, string personId, int? year, CancellationToken cancellationToken)
    {
        var query = db.Set<CommunityParticipation>().AsNoTracking().Where(p => p.PersonId == personId);
        if (year is { } y)
        {
            var from = new DateOnly(y, 1, 1);
            var to = from.AddYears(1);
            query = query.Where(p => p.Date >= from && p.Date < to);
        }

        return [.. (await query.Select(p => new AttendedActivity(p.Date, p.Title, p.Source, p.Role, p.InstanceId)).ToListAsync(cancellationToken))
            .OrderByDescending(a => a.Date).ThenBy(a => a.Title, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<AttendedActivity>> AttendedAsync(string personId, int? year, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await AttendedAsync(db, personId, year, cancellationToken);
    }

    private async Task<ActivityRow?> ActivityAsync(WorkflowDbContext db, string communityId, Guid instanceId, CancellationToken cancellationToken)
    {
        var row = await db.Instances.AsNoTracking()
            .Where(i => i.Id == instanceId && i.CommunityId == communityId && i.DefinitionId == ActivityProcess && i.Status != InstanceRowStatus.Withdrawn
                && (i.Result == null || i.Result != DeclinedResult))
            .Select(i => new { i.Id, i.Status, i.StateJson })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var count = await db.Set<CommunityParticipation>().CountAsync(p => p.InstanceId == instanceId, cancellationToken);
        var open = await OpenCheckInsAsync(db, communityId, cancellationToken);
        return Describe(row.Id, row.Status, row.StateJson, count, open.GetValueOrDefault(row.Id));
    }

    private async Task<Dictionary<Guid, CheckInView>> OpenCheckInsAsync(WorkflowDbContext db, string communityId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await db.Set<ActivityCheckIn>().AsNoTracking().Where(c => c.CommunityId == communityId && c.InstanceId != null && c.ClosesAt > now)
                .ToListAsync(cancellationToken))
            .GroupBy(c => c.InstanceId!.Value)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.ClosesAt).Select(c => new CheckInView(c.Id, c.Code, c.OpensAt, c.ClosesAt)).First());
    }

    private static ActivityRow Describe(Guid id, string status, string stateJson, int attended, CheckInView? open)
    {
        var input = JsonSerializer.Deserialize<InstanceState>(stateJson, EngineJson.Options)!.Input;
        var title = Records.CommunityRecordProvider.Text(input["title"]) ?? "";
        var date = Records.ParticipationRegister.DateOf(input["date"]) ?? DateOnly.MinValue;
        return new ActivityRow(id, title, date, Records.CommunityRecordProvider.Text(input["place"]), status, attended, open);
    }

    internal static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
