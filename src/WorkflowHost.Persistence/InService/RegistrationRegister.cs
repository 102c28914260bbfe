using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.InService;

/// <summary>
/// <c>in-service-registration</c>: in-service party members registered with the community (在职党员报到), written when the
/// office confirms. Values (defaults for every row): <c>person</c>, <c>unit</c>, <c>branch</c>, <c>phone</c>, <c>residence</c>,
/// <c>idNumber</c> (masked), <c>skills</c>, <c>posts</c>; rows (a unit's list) carry the same names and win over the values.
/// A member has one registration at a time: a new one ends the current one, which is kept as an <see cref="EndedRegistration"/>.
/// A row naming no person of this community is skipped (the start form already checked it).
/// </summary>
internal sealed class RegistrationRegister : IRecordRegister
{
    public const string RegisterName = "in-service-registration";

    public string Name => RegisterName;

    public async Task<int> WriteAsync(StoreStepContext context, string activityId, JsonObject values, JsonArray rows, CancellationToken cancellationToken)
    {
        var entries = rows.Count == 0 ? [values] : rows.OfType<JsonObject>().Select(row => Merge(values, row)).ToList();
        var today = context.Calendar.DateOf(context.Now);
        var communityId = context.Instance.CommunityId;
        var written = 0;
        foreach (var entry in entries)
        {
            var personId = Text(entry, "person");
            var unitId = Text(entry, "unit");
            if (personId is null || unitId is null
                || !await context.Db.People.AnyAsync(p => p.Id == personId && p.CommunityId == communityId, cancellationToken))
            {
                continue;
            }

            var current = await context.Db.Set<InServiceRegistration>().SingleOrDefaultAsync(r => r.PersonId == personId, cancellationToken);
            if (current is null)
            {
                current = new InServiceRegistration { PersonId = personId, CommunityId = communityId, UnitId = unitId, RegisteredOn = today };
                context.Db.Set<InServiceRegistration>().Add(current);
            }
            else
            {
                // Moving is a new registration: the old one is ended and kept, never overwritten without trace.
                context.Db.Set<EndedRegistration>().Add(new EndedRegistration
                {
                    Id = Guid.NewGuid(), PersonId = personId, CommunityId = current.CommunityId, UnitId = current.UnitId,
                    RegisteredOn = current.RegisteredOn, EndedOn = today, ResidenceZh = current.ResidenceZh, EndedByInstanceId = context.Instance.Id,
                });
                current.UnitId = unitId;
                current.RegisteredOn = today;
            }

            current.ResidenceZh = Text(entry, "residence");
            current.ResidenceEn = null;
            current.MaskedIdNumber = Text(entry, "idNumber");
            current.Branch = Text(entry, "branch");
            current.Phone = Text(entry, "phone");
            current.Skills = Text(entry, "skills");
            current.PreferredPosts = Posts(entry["posts"]);
            current.InstanceId = context.Instance.Id;
            written++;
        }

        return written;
    }

    private static JsonObject Merge(JsonObject values, JsonObject row)
    {
        var merged = (JsonObject)values.DeepClone();
        foreach (var (name, value) in row)
        {
            if (value is not null)
            {
                merged[name] = value.DeepClone();
            }
        }

        return merged;
    }

    private static string? Text(JsonObject entry, string name) => CommunityRecordProvider.Text(entry[name]);

    /// <summary>The categories chosen: a list of <c>{ "category": … }</c> items or a single value, kept comma-separated.</summary>
    private static string? Posts(JsonNode? node)
    {
        var chosen = node switch
        {
            JsonArray items => items.Select(i => CommunityRecordProvider.Text(i is JsonObject o ? o["category"] : i)).OfType<string>(),
            _ => CommunityRecordProvider.Text(node) is { } one ? [one] : [],
        };
        var text = string.Join(",", chosen.Distinct(StringComparer.Ordinal));
        return text.Length == 0 ? null : text;
    }
}
