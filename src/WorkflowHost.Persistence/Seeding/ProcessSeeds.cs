using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService;

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
                    Source = Text(p, "source") ?? ParticipationSource.Summary, Role = Text(p, "role") ?? ParticipationRole.Participant,
                });
                participations++;
            }
        }

        AddCheckIns(db, root, communityId);
        AddServiceOffers(db, root, communityId, now);
        return (facilities.Count, members.Count, participations);
    }

    /// <summary>
    /// <c>activityCheckIns</c>: check-ins of past activities from before the product (no instance), closed long ago, so the
    /// history shows how members were counted; their codes can no longer be used.
    /// </summary>
    private static void AddCheckIns(WorkflowDbContext db, JsonNode root, string communityId)
    {
        foreach (var c in (root["activityCheckIns"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // PostgreSQL stores instants in UTC only; the seed file writes them in Beijing time.
            var opensAt = DateTimeOffset.Parse(Text(c, "opensAt")!, CultureInfo.InvariantCulture).ToUniversalTime();
            db.Set<ActivityCheckIn>().Add(new ActivityCheckIn
            {
                Id = Guid.NewGuid(), CommunityId = communityId, InstanceId = null, Title = Text(c, "title")!, Date = Date(Text(c, "date")!),
                Code = Text(c, "code")!, OpensAt = opensAt, ClosesAt = DateTimeOffset.Parse(Text(c, "closesAt")!, CultureInfo.InvariantCulture).ToUniversalTime(),
                OpenedBy = Text(c, "openedBy")!, OpenedAt = opensAt,
            });
        }
    }

    /// <summary>
    /// <c>serviceOffers</c>: posts and small wishes with their claims, so the demo has a year of confirmed hours
    /// (<c>status</c> <c>completed</c> with <c>servedOn</c> and <c>hours</c>) and claims waiting for the office.
    /// </summary>
    private static void AddServiceOffers(WorkflowDbContext db, JsonNode root, string communityId, DateTimeOffset now)
    {
        foreach (var o in (root["serviceOffers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var claims = (o["claims"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var offer = new ServiceOffer
            {
                Id = Guid.Parse(Text(o, "id")!), CommunityId = communityId, Kind = Text(o, "kind")!, Category = Text(o, "category"),
                Title = Text(o, "title")!, Description = Text(o, "description"), Places = o["places"]!.GetValue<int>(),
                DueOn = Date(Text(o, "dueOn")!), PublishedBy = "p-office-xie", PublishedAt = now,
                Claimed = claims.Count(c => Text(c, "status") != ServiceClaimStatus.NotFulfilled),
            };
            db.Set<ServiceOffer>().Add(offer);
            foreach (var c in claims)
            {
                var served = Text(c, "servedOn") is { } on ? Date(on) : (DateOnly?)null;
                db.Set<ServiceClaim>().Add(new ServiceClaim
                {
                    Id = Guid.NewGuid(), CommunityId = communityId, OfferId = offer.Id, PersonId = Text(c, "personId")!,
                    Status = Text(c, "status")!, ClaimedAt = now, DueOn = offer.DueOn, ServedOn = served,
                    MinutesServed = c["hours"] is { } hours ? (int)(hours.GetValue<decimal>() * 60) : null,
                    ConfirmedBy = served is null ? null : "p-office-xie", ConfirmedAt = served is null ? null : now,
                });
            }
        }
    }

    private static string? Text(JsonNode node, string name) => node[name]?.GetValue<string>();

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
