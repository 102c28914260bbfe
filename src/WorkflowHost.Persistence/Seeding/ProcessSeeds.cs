using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Seeding;

/// <summary>
/// The sections of <c>seeds/community.json</c> the processes need: shared facilities (owned by units) and in-service party
/// members' registrations with the community and their past participation in community activities.
/// Added to the same unit of work as the community, so they are loaded once with it.
/// </summary>
internal static class ProcessSeeds
{
    public static (int Facilities, int Registrations, int Participations) Add(WorkflowDbContext db, JsonNode root, string communityId, DateTimeOffset now)
    {
        var facilities = root["facilities"] as JsonArray ?? [];
        foreach (var f in facilities.OfType<JsonObject>())
        {
            db.Set<Facility>().Add(new Facility
            {
                Id = Text(f, "id")!, CommunityId = communityId, OwnerUnitId = Text(f, "ownerUnitId"),
                NameZh = f["name"]!["zh-CN"]!.GetValue<string>(), NameEn = f["name"]!["en"]!.GetValue<string>(),
                Kind = Text(f, "kind") ?? "room", Capacity = f["capacity"]?.GetValue<int>(),
            });
        }

        var members = root["inServiceMembers"] as JsonArray ?? [];
        var people = (root["people"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(p => Text(p, "id")!, StringComparer.Ordinal);
        var participations = 0;
        foreach (var m in members.OfType<JsonObject>())
        {
            var personId = Text(m, "personId")!;
            var unit = people.TryGetValue(personId, out var person) ? Text(person, "unitId") : null;
            db.Set<InServiceRegistration>().Add(new InServiceRegistration
            {
                PersonId = personId, CommunityId = communityId,
                UnitId = unit ?? throw new InvalidDataException($"In-service member {personId} must be a person of a unit in community.json."),
                RegisteredOn = Date(Text(m, "registeredOn")!),
                ResidenceZh = m["residence"]?["zh-CN"]?.GetValue<string>(), ResidenceEn = m["residence"]?["en"]?.GetValue<string>(),
                MaskedIdNumber = Text(m, "maskedIdNumber"),
            });
            foreach (var p in (m["participation"] as JsonArray ?? []).OfType<JsonObject>())
            {
                db.Set<CommunityParticipation>().Add(new CommunityParticipation
                {
                    Id = Guid.NewGuid(), CommunityId = communityId, PersonId = personId, Date = Date(Text(p, "date")!),
                    Title = Text(p, "title")!, InstanceId = null, RecordedAt = now,
                });
                participations++;
            }
        }

        return (facilities.Count, members.Count, participations);
    }

    private static string? Text(JsonNode node, string name) => node[name]?.GetValue<string>();

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
