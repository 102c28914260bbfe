using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowHost.Persistence.Entities;
using static WorkflowHost.Persistence.Seeding.SeedData;

namespace WorkflowHost.Persistence.Seeding;

/// <summary>
/// Tops up a database that already has data from <c>seeds/community.json</c> and <c>seeds/communities/*.json</c>:
/// adds every community, unit, person (with roles) and founding committee term that is missing, and fills a community's
/// district where it is empty. It never changes or removes what is there, so running it twice changes nothing, and a
/// record an administrator edited keeps the edit. Each community's additions raise its directory version (decision 110).
/// </summary>
public static class SeedTopUp
{
    public sealed record Summary(int Communities, int Units, int People, int Terms);

    public static async Task<Summary> RunAsync(WorkflowDbContext db, string seedsFolder, ILogger logger, CancellationToken cancellationToken = default)
    {
        var files = new[] { Path.Combine(seedsFolder, "community.json") }
            .Concat(Directory.Exists(Path.Combine(seedsFolder, "communities"))
                ? Directory.EnumerateFiles(Path.Combine(seedsFolder, "communities"), "*.json").Order(StringComparer.Ordinal)
                : []);
        var (communities, units, people, terms) = (0, 0, 0, 0);
        foreach (var file in files)
        {
            var seed = JsonSerializer.Deserialize<CommunitySeed>(await File.ReadAllTextAsync(file, cancellationToken), JsonOptions)
                ?? throw new InvalidDataException($"{file} is empty.");
            var id = seed.Community.Id;
            var community = await db.Communities.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (community is null)
            {
                community = new Community
                {
                    Id = id, NameZh = seed.Community.Name.ZhCn, NameEn = seed.Community.Name.En,
                    StreetZh = seed.Community.Street.ZhCn, StreetEn = seed.Community.Street.En,
                };
                db.Communities.Add(community);
                communities++;
            }

            if (community.DistrictZh.Length == 0 && seed.Community.District is { } district)
            {
                (community.DistrictZh, community.DistrictEn) = (district.ZhCn, district.En);
            }

            var knownUnits = await db.Units.Where(u => u.CommunityId == id).Select(u => u.Id).ToListAsync(cancellationToken);
            foreach (var unit in seed.Units.Where(u => !knownUnits.Contains(u.Id)))
            {
                db.Units.Add(new ResidentUnit { Id = unit.Id, CommunityId = id, NameZh = unit.Name.ZhCn, NameEn = unit.Name.En, Kind = unit.Kind });
                units++;
            }

            var knownPeople = await db.People.Where(p => p.CommunityId == id).Select(p => p.Id).ToListAsync(cancellationToken);
            foreach (var p in seed.People.Where(p => !knownPeople.Contains(p.Id)))
            {
                db.People.Add(new Person
                {
                    Id = p.Id, CommunityId = id, NameZh = p.Name.ZhCn, NameEn = p.Name.En, UnitId = p.UnitId,
                    TitleZh = p.Title?.ZhCn, TitleEn = p.Title?.En, Email = p.Email, Language = p.Language ?? "zh-CN",
                    Roles = [.. p.Roles.Distinct().Select(r => new PersonRole { PersonId = p.Id, Role = r })],
                });
                people++;
            }

            if (seed.Committee is not null && !await db.CommitteeTerms.AnyAsync(t => t.CommunityId == id, cancellationToken))
            {
                AddFirstTerm(db, seed, id);
                terms++;
            }

            community.DirectoryVersion++;
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.LogInformation("Seeds topped up: {Communities} communities, {Units} units, {People} people, {Terms} committee terms added.", communities, units, people, terms);
        return new Summary(communities, units, people, terms);
    }
}
