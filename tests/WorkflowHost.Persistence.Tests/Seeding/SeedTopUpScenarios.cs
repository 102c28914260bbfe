using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Seeding;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Seeding;

/// <summary>
/// The <c>seed</c> command's top-up on a database that already holds Binhe: it adds Qingshan and Lakeview with their
/// units, people and founding terms, fills the district, keeps every Binhe id and edit, and changes nothing the second time.
/// </summary>
public abstract class SeedTopUpScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task Topping_up_adds_the_two_communities_once_and_leaves_binhe_as_it_was()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        await using (var db = await host.OpenDbAsync())
        {
            var edited = await db.Units.SingleAsync(u => u.Id == "unit-hongxin-law-firm");
            edited.NameEn = "Hongxin Law Firm (edited)";
            await db.SaveChangesAsync();
        }

        await using (var db = await host.OpenDbAsync())
        {
            var first = await SeedTopUp.RunAsync(db, RepositoryPaths.Seeds, NullLogger.Instance);
            Assert.Equal((2, 7, 22, 2), (first.Communities, first.Units, first.People, first.Terms));
        }

        await using (var db = await host.OpenDbAsync())
        {
            var second = await SeedTopUp.RunAsync(db, RepositoryPaths.Seeds, NullLogger.Instance);
            Assert.Equal((0, 0, 0, 0), (second.Communities, second.Units, second.People, second.Terms));
        }

        await using var check = await host.OpenDbAsync();
        var communities = await check.Communities.OrderBy(c => c.Id).Select(c => new { c.Id, c.StreetZh, c.DistrictZh }).ToListAsync();
        Assert.Equal(["binhe", "lakeview", "qingshan"], communities.Select(c => c.Id));
        Assert.All(communities, c => Assert.Equal("滨江区", c.DistrictZh));
        Assert.Equal(2, communities.Select(c => c.StreetZh).Distinct().Count());
        Assert.Equal(36, await check.People.CountAsync(p => p.CommunityId == "binhe"));
        Assert.Equal("Hongxin Law Firm (edited)", (await check.Units.SingleAsync(u => u.Id == "unit-hongxin-law-firm")).NameEn);
        var qingshanTerm = await check.CommitteeTerms.Include(t => t.Members).SingleAsync(t => t.CommunityId == "qingshan");
        Assert.Equal(5, qingshanTerm.Members.Count);
        Assert.Equal(3, qingshanTerm.Members.Count(m => m.UnitId is not null));
        Assert.True(await check.PersonRoles.AnyAsync(r => r.PersonId == "p-qingshan-admin-mo" && r.Role == RoleNames.CommunityAdministrator));
    }
}

public sealed class SqliteSeedTopUpTests : SeedTopUpScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlSeedTopUpTests : SeedTopUpScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
