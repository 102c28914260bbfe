using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Persistence.InService.Feedback;

/// <summary>What opening one community's review came to: a new instance, the one already open (a replay), or a refusal.</summary>
public sealed record ReviewOpening(string CommunityId, int Year, Guid InstanceId, bool Opened, string? Refusal);

/// <summary>
/// Opens the year's review (<c>in-service-annual-feedback</c>) in every community with registered in-service members and no
/// review of that year yet. Due from the last working day of December (the calendar's, so a 调休 Saturday or a holiday moves
/// it) until the end of January, when a host that was down at the year's end catches up. Any number of hosts may run it at
/// once, any number of times: each start carries the idempotency key <c>in-service-annual-feedback/{year}</c> and inserts the
/// review row keyed by community and year in its own transaction, so exactly one review opens (decision 0124).
/// </summary>
public sealed class AnnualFeedbackOpener(
    IDbContextFactory<WorkflowDbContext> contexts, WorkflowCommands commands, DirectoryCache directory, IWorkingCalendar calendar, TimeProvider time,
    ILogger<AnnualFeedbackOpener> logger)
{
    public const string Process = "in-service-annual-feedback";

    public static string IdempotencyKey(int year) => $"{Process}/{year}";

    /// <summary>The year whose review is due on <paramref name="today"/>, or null outside the window.</summary>
    public int? DueYear(DateOnly today) =>
        today >= LastWorkingDay(today.Year) ? today.Year
        : today.Month == 1 ? today.Year - 1
        : null;

    /// <summary>The year's last working day by the calendar (Monday to Friday where the year has no data).</summary>
    public DateOnly LastWorkingDay(int year)
    {
        var day = new DateOnly(year, 12, 31);
        while (!calendar.IsWorkingDay(day) && day.Month == 12)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    public async Task<IReadOnlyList<ReviewOpening>> OpenDueAsync(CancellationToken cancellationToken = default) =>
        DueYear(calendar.DateOf(time.GetUtcNow())) is { } year ? await OpenAsync(year, cancellationToken) : [];

    public async Task<IReadOnlyList<ReviewOpening>> OpenAsync(int year, CancellationToken cancellationToken = default)
    {
        List<string> due;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var last = new DateOnly(year, 12, 31);
            due = await db.Set<Entities.InServiceRegistration>().AsNoTracking()
                .Where(r => r.RegisteredOn <= last && !db.Set<InServiceReview>().Any(v => v.CommunityId == r.CommunityId && v.Year == year))
                .Select(r => r.CommunityId).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
        }

        var openings = new List<ReviewOpening>();
        foreach (var communityId in due)
        {
            if (await InitiatorAsync(communityId, cancellationToken) is not { } initiator)
            {
                logger.LogWarning("Community {Community} has no secretary or office to open the {Year} in-service review.", communityId, year);
                continue;
            }

            var result = await commands.StartAsync(new StartCommand(Process, communityId, initiator, new JsonObject { ["year"] = year }, IdempotencyKey(year)), cancellationToken);
            if (!result.Succeeded && await OpenedByAsync(communityId, year, cancellationToken) is { } other)
            {
                // Another host's start committed between this start's read of its key and its insert: the year is open, as wanted.
                openings.Add(new ReviewOpening(communityId, year, other, Opened: false, Refusal: null));
                continue;
            }

            openings.Add(new ReviewOpening(communityId, year, result.InstanceId, result.Succeeded && !result.Replayed, result.Succeeded ? null : result.Message));
        }

        if (openings.Any(o => o.Opened))
        {
            logger.LogInformation("Opened the {Year} in-service review in {Count} communities.", year, openings.Count(o => o.Opened));
        }

        return openings;
    }

    private async Task<Guid?> OpenedByAsync(string communityId, int year, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<InServiceReview>().AsNoTracking().Where(r => r.CommunityId == communityId && r.Year == year)
            .Select(r => (Guid?)r.InstanceId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The review is opened in the committee's name: its secretary, or the office when there is none.</summary>
    private async Task<string?> InitiatorAsync(string communityId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var people = await directory.GetAsync(db, communityId, cancellationToken);
        var secretaries = people.InRole(RoleNames.Secretary);
        var office = people.InRole(RoleNames.Office);
        return secretaries.Count > 0 ? secretaries[0].Id : office.Count > 0 ? office[0].Id : null;
    }
}
