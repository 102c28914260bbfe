using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Records;

/// <summary>
/// <c>participation</c>: in-service party members who took part in a community activity, from its summary. Values:
/// <c>title</c>, <c>date</c>; rows: <c>member</c> (a person id). Each member once per activity; unknown people are skipped.
/// </summary>
internal sealed class ParticipationRegister : IRecordRegister
{
    public string Name => "participation";

    public async Task<int> WriteAsync(StoreStepContext context, string activityId, JsonObject values, JsonArray rows, CancellationToken cancellationToken)
    {
        var title = CommunityRecordProvider.Text(values["title"]) ?? "";
        var date = DateOf(values["date"]) ?? context.Calendar.DateOf(context.Now);
        var members = rows.Select(r => CommunityRecordProvider.Text(r?["member"])).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var known = await context.Db.People.AsNoTracking()
            .Where(p => p.CommunityId == context.Instance.CommunityId && members.Contains(p.Id))
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        // The office or a check-in may have counted some already; a member is counted once per activity (decision 0127).
        var counted = await context.Db.Set<CommunityParticipation>().AsNoTracking()
            .Where(p => p.InstanceId == context.Instance.Id && members.Contains(p.PersonId))
            .Select(p => p.PersonId)
            .ToListAsync(cancellationToken);
        foreach (var member in members.Where(m => known.Contains(m) && !counted.Contains(m)))
        {
            context.Db.Set<CommunityParticipation>().Add(new CommunityParticipation
            {
                Id = Guid.NewGuid(), CommunityId = context.Instance.CommunityId, PersonId = member, Date = date, Title = title,
                InstanceId = context.Instance.Id, RecordedAt = context.Now,
            });
        }

        return known.Count;
    }

    internal static DateOnly? DateOf(JsonNode? node) =>
        CommunityRecordProvider.Text(node) is { } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date : null;
}

/// <summary>
/// <c>co-building</c>: a unit's co-building record (共驻共建). Values: <c>title</c>, <c>date</c>, optional <c>leadUnit</c> (the
/// organiser's unit: one <c>lead</c> line); rows: <c>unit</c>, <c>resource</c>, <c>outcome</c> (one <c>pledge</c> line each,
/// fulfilled when the outcome is <c>fulfilled</c>).
/// </summary>
internal sealed class CoBuildingRegister : IRecordRegister
{
    public const string FulfilledOutcome = "fulfilled";

    public string Name => "co-building";

    public Task<int> WriteAsync(StoreStepContext context, string activityId, JsonObject values, JsonArray rows, CancellationToken cancellationToken)
    {
        var title = CommunityRecordProvider.Text(values["title"]) ?? "";
        var date = ParticipationRegister.DateOf(values["date"]);
        var entries = new List<CoBuildingEntry>();
        if (CommunityRecordProvider.Text(values["leadUnit"]) is { } lead)
        {
            entries.Add(Entry(lead, CoBuildingKind.Lead, null, null));
        }

        foreach (var row in rows)
        {
            if (CommunityRecordProvider.Text(row?["unit"]) is { } unit)
            {
                entries.Add(Entry(unit, CoBuildingKind.Pledge, CommunityRecordProvider.Text(row!["resource"]),
                    CommunityRecordProvider.Text(row["outcome"]) == FulfilledOutcome));
            }
        }

        context.Db.Set<CoBuildingEntry>().AddRange(entries);
        return Task.FromResult(entries.Count);

        CoBuildingEntry Entry(string unit, string kind, string? resource, bool? fulfilled) => new()
        {
            Id = Guid.NewGuid(), CommunityId = context.Instance.CommunityId, UnitId = unit, InstanceId = context.Instance.Id, ActivityId = activityId,
            Kind = kind, Resource = resource, Fulfilled = fulfilled, Title = title, Date = date, RecordedAt = context.Now,
        };
    }
}
