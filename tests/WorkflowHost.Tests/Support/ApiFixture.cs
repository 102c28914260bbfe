using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Tests.Support;

/// <summary>
/// One host for a test class, with two more communities besides the seeded <c>binhe</c>: <c>riverside</c> on the same
/// street (新华街道, so the street committee oversees it) and <c>hilltop</c> on another street. Each has a unit, a liaison
/// and one submitted consultation (<see cref="RiversideInstance"/>, <see cref="HilltopInstance"/>).
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public HostFactory Factory { get; } = new();

    public ApiDriver Api { get; private set; } = null!;

    public Guid RiversideInstance { get; private set; }

    public Guid HilltopInstance { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Api = new ApiDriver(Factory);
        _ = Factory.Server;
        var contexts = Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var street = await db.Communities.Where(c => c.Id == "binhe").Select(c => new { c.StreetZh, c.StreetEn }).FirstAsync();
            AddCommunity(db, "riverside", "河畔社区", "Riverside Community", street.StreetZh, street.StreetEn);
            AddCommunity(db, "hilltop", "山顶社区", "Hilltop Community", "东湖街道", "Donghu Subdistrict");
            await db.SaveChangesAsync();
        }

        // Their accounts, as the host gives every person of the directory one at start.
        await DemoAccounts.EnsureAsync(Factory.Services);
        RiversideInstance = await StartAsync("riverside");
        HilltopInstance = await StartAsync("hilltop");
    }

    /// <summary>
    /// Submitted by the community's liaison through the API, signed in for real: the community and unit of the instance
    /// come from who the caller is, as in production, not from the test.
    /// </summary>
    private Task<Guid> StartAsync(string community) => Api.SubmitAsync($"p-liaison-{community}");

    private static void AddCommunity(WorkflowDbContext db, string id, string nameZh, string nameEn, string streetZh, string streetEn)
    {
        db.Communities.Add(new Community { Id = id, NameZh = nameZh, NameEn = nameEn, StreetZh = streetZh, StreetEn = streetEn });
        db.Units.Add(new ResidentUnit { Id = $"unit-{id}-clinic", CommunityId = id, NameZh = nameZh + "卫生服务站", NameEn = nameEn + " Clinic", Kind = "hospital" });
        db.People.Add(new Person
        {
            Id = $"p-liaison-{id}", CommunityId = id, NameZh = "联络员", NameEn = "Liaison", UnitId = $"unit-{id}-clinic",
            Roles = [new PersonRole { PersonId = $"p-liaison-{id}", Role = "unit-liaison" }],
        });
        db.People.Add(new Person
        {
            Id = $"p-office-{id}", CommunityId = id, NameZh = "办公室", NameEn = "Office",
            Roles = [new PersonRole { PersonId = $"p-office-{id}", Role = "office" }],
        });
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
