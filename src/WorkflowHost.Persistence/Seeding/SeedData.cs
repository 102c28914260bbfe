using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Seeding;

/// <summary>
/// Loads <c>seeds/community.json</c> (the community, its resident units and people) into an empty database.
/// A database that already has a community is left alone, so restarts never duplicate anything.
/// </summary>
public static class SeedData
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static async Task<bool> LoadIfEmptyAsync(WorkflowDbContext db, string seedsFolder, ILogger logger, TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (await db.Communities.AnyAsync(cancellationToken))
        {
            logger.LogInformation("The database already has data; seeds are not loaded again.");
            return false;
        }

        var file = Path.Combine(seedsFolder, "community.json");
        var seed = JsonSerializer.Deserialize<CommunitySeed>(await File.ReadAllTextAsync(file, cancellationToken), JsonOptions)
            ?? throw new InvalidDataException($"{file} is empty.");
        var communityId = seed.Community.Id;
        db.Communities.Add(new Community
        {
            Id = communityId, NameZh = seed.Community.Name.ZhCn, NameEn = seed.Community.Name.En,
            StreetZh = seed.Community.Street.ZhCn, StreetEn = seed.Community.Street.En,
            DistrictZh = seed.Community.District?.ZhCn ?? "", DistrictEn = seed.Community.District?.En ?? "",
        });
        db.Units.AddRange(seed.Units.Select(u => new ResidentUnit
        {
            Id = u.Id, CommunityId = communityId, NameZh = u.Name.ZhCn, NameEn = u.Name.En, Kind = u.Kind,
        }));
        db.People.AddRange(seed.People.Select(p => new Person
        {
            Id = p.Id, CommunityId = communityId, NameZh = p.Name.ZhCn, NameEn = p.Name.En, UnitId = p.UnitId,
            TitleZh = p.Title?.ZhCn, TitleEn = p.Title?.En, Email = p.Email, Language = p.Language ?? "zh-CN",
            Roles = [.. p.Roles.Distinct().Select(r => new PersonRole { PersonId = p.Id, Role = r })],
        }));

        AddFirstTerm(db, seed, communityId);
        var processes = ProcessSeeds.Add(db, System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(file, cancellationToken))!, communityId, time.GetUtcNow());

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two hosts started on one empty database at once: if the other one won, the data is there.
            if (!await OtherProcessSeededAsync(db, cancellationToken))
            {
                throw;
            }

            logger.LogInformation("Another process loaded the seeds first.");
            return false;
        }

        logger.LogInformation("Loaded seeds: community {Community}, {Units} units, {People} people, {Facilities} shared facilities, {Registrations} in-service registrations with {Participations} activities.",
            communityId, seed.Units.Count, seed.People.Count, processes.Facilities, processes.Registrations, processes.Participations);
        return true;
    }

    /// <summary>
    /// The founding committee as term 1 (第一届): the people seeded as committee members, full-time without a unit and
    /// part-time with their unit, their committee role dated from the term's start.
    /// </summary>
    internal static void AddFirstTerm(WorkflowDbContext db, CommunitySeed seed, string communityId)
    {
        if (seed.Committee is not { } committee)
        {
            return;
        }

        var term = new CommitteeTerm
        {
            Id = Participants.DirectoryAdministration.TermId(communityId, committee.Term), CommunityId = communityId,
            Number = committee.Term, StartsOn = committee.StartsOn,
        };
        foreach (var member in seed.People.Where(p => p.Roles.Contains(Engine.Runtime.RoleNames.CommitteeMember)))
        {
            term.Members.Add(new CommitteeTermMember
            {
                TermId = term.Id, PersonId = member.Id, JoinedOn = committee.StartsOn, UnitId = member.UnitId,
                Kind = member.UnitId is null ? TermMemberKind.FullTime : TermMemberKind.PartTime,
            });
            db.RolePeriods.Add(new RolePeriod
            {
                Id = Guid.NewGuid(), CommunityId = communityId, PersonId = member.Id, Role = Engine.Runtime.RoleNames.CommitteeMember, From = committee.StartsOn,
            });
        }

        db.CommitteeTerms.Add(term);
    }

    private static async Task<bool> OtherProcessSeededAsync(WorkflowDbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Communities.AnyAsync(cancellationToken);
    }

    internal sealed record Text(
        [property: System.Text.Json.Serialization.JsonPropertyName("zh-CN")] string ZhCn,
        [property: System.Text.Json.Serialization.JsonPropertyName("en")] string En);

    internal sealed record CommunitySeed(CommunityEntry Community, List<UnitEntry> Units, List<PersonEntry> People, CommitteeEntry? Committee = null);

    internal sealed record CommitteeEntry(int Term, DateOnly StartsOn);

    internal sealed record CommunityEntry(string Id, Text Name, Text Street, Text? District = null);

    internal sealed record UnitEntry(string Id, Text Name, string Kind);

    internal sealed record PersonEntry(string Id, Text Name, List<string> Roles, string? UnitId, Text? Title, string? Email, string? Language);
}
