using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Communities;

/// <summary>
/// The directory API as its callers meet it, signed in for real: an administrator adds a unit and its liaison, bad input
/// is a 400 that writes nothing, conflicts are 409s, a deactivated person's token stops working at once, and a
/// community administrator of another community neither sees nor changes Binhe (decision 108).
/// </summary>
public sealed class DirectoryApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Binhe = "/api/communities/binhe";

    private ApiDriver Api => fixture.Api;

    private async Task<long> DirectoryVersionAsync()
    {
        await using var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.Communities.Where(c => c.Id == "binhe").Select(c => c.DirectoryVersion).SingleAsync();
    }

    [Fact]
    public async Task An_administrator_adds_a_unit_with_its_agreement_and_a_liaison_and_the_journal_shows_both()
    {
        var unit = await Api.PostAsync(People.Administrator, $"{Binhe}/units", new
        {
            id = "unit-binhe-credit-union", nameZh = "滨河农村信用合作社", nameEn = "Binhe Credit Union", kind = "company",
            joinedOn = "2026-10-08", agreementSignedOn = "2026-10-08", agreementText = "双方在党员共管、设施共享方面开展共驻共建。",
        });
        Assert.Equal(HttpStatusCode.Created, unit.Status);
        fixture.Factory.Time.Advance(TimeSpan.FromSeconds(1)); // the journal is read newest first
        var person = await Api.PostAsync(People.Administrator, $"{Binhe}/people", new
        {
            id = "p-liaison-credit", nameZh = "邱雨", nameEn = "Qiu Yu", unitId = "unit-binhe-credit-union", language = "zh-CN",
        });
        Assert.Equal(HttpStatusCode.Created, person.Status);
        fixture.Factory.Time.Advance(TimeSpan.FromSeconds(1));
        var role = await Api.PostAsync(People.Administrator, $"{Binhe}/people/p-liaison-credit/roles", new { role = "unit-liaison", from = "2026-11-27" });
        Assert.Equal(HttpStatusCode.OK, role.Status);

        var directory = (await Api.GetAsync(People.Office, $"{Binhe}/directory")).Body;
        var added = directory["units"]!.AsArray().Single(u => u!["id"]!.GetValue<string>() == "unit-binhe-credit-union")!;
        Assert.Equal("2026-10-08", added["agreementSignedOn"]!.GetValue<string>());
        var liaison = directory["people"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "p-liaison-credit")!;
        Assert.Equal(["unit-liaison"], liaison["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("2026-11-27", liaison["roleHistory"]![0]!["from"]!.GetValue<string>());

        var changes = (await Api.GetAsync(People.Secretary, $"{Binhe}/directory/changes")).Body.AsArray();
        var kinds = changes.Where(c => c!["subjectId"]!.GetValue<string>() is "unit-binhe-credit-union" or "p-liaison-credit").Select(c => c!["kind"]!.GetValue<string>());
        Assert.Equal(["role-granted", "person-added", "unit-added"], kinds);
        Assert.All(changes, c => Assert.Equal(People.Administrator, c!["actorId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_each_field_and_writes_nothing()
    {
        var before = await DirectoryVersionAsync();

        var reply = await Api.PostAsync(People.Administrator, $"{Binhe}/units", new { id = "Unit With Spaces", nameZh = "", kind = "castle", agreementText = "无日期" });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var errors = reply.Body["errors"]!.AsObject().Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "id", "nameZh", "nameEn", "kind", "joinedOn", "agreementSignedOn" }, errors);
        var future = await Api.PostAsync(People.Administrator, $"{Binhe}/units/unit-hongxin-law-firm/end", new { on = "2026-12-31" });
        Assert.Equal(HttpStatusCode.BadRequest, future.Status);
        Assert.Equal(before, await DirectoryVersionAsync());
    }

    [Fact]
    public async Task Ending_twice_and_editing_a_stale_version_are_409s()
    {
        var first = await Api.PostAsync(People.Administrator, $"{Binhe}/units/unit-xinhua-shopping-centre/end", new { on = "2026-11-20" });
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var again = await Api.PostAsync(People.Administrator, $"{Binhe}/units/unit-xinhua-shopping-centre/end", new { on = "2026-11-21" });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        var version = first.Body["version"]!.GetValue<int>();
        var body = new { nameZh = "新华购物中心", nameEn = "Xinhua Shopping Centre", kind = "company", joinedOn = "2026-01-01", version = version - 1 };
        var stale = await Api.SendAsync(People.Administrator, HttpMethod.Put, $"{Binhe}/units/unit-xinhua-shopping-centre", body);
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Equal("application/problem+json", stale.Message.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_deactivated_person_is_signed_out_at_once_and_cannot_sign_in_again()
    {
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync(People.InService, "/api/account/me")).Status);

        var deactivated = await Api.PostAsync(People.Administrator, $"{Binhe}/people/{People.InService}/deactivate", null);
        Assert.Equal(HttpStatusCode.OK, deactivated.Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync(People.InService, "/api/account/me")).Status);
        using var client = fixture.Factory.CreateClient();
        using var signIn = await client.PostAsJsonAsync("/api/account/token", new { userName = People.InService, password = DemoAccounts.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        var again = await Api.PostAsync(People.Administrator, $"{Binhe}/people/{People.InService}/deactivate", null);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        // The history stays: the person is still in the directory, marked, without roles.
        var person = (await Api.GetAsync(People.Administrator, $"{Binhe}/directory")).Body["people"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == People.InService)!;
        Assert.NotNull(person["deactivatedAt"]);
        Assert.Empty(person["roles"]!.AsArray());
    }

    [Fact]
    public async Task A_community_administrator_of_riverside_administers_riverside_and_finds_no_binhe()
    {
        await using (var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            if (!await db.People.AnyAsync(p => p.Id == "p-admin-riverside"))
            {
                db.People.Add(new Person
                {
                    Id = "p-admin-riverside", CommunityId = "riverside", NameZh = "河畔管理员", NameEn = "Riverside Admin",
                    Roles = [new PersonRole { PersonId = "p-admin-riverside", Role = "community-admin" }],
                });
                await db.SaveChangesAsync();
            }
        }

        await DemoAccounts.EnsureAsync(fixture.Factory.Services);
        const string admin = "p-admin-riverside";

        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(admin, $"{Binhe}/directory")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(admin, $"{Binhe}/units/unit-hongxin-law-firm/end", new { on = "2026-11-27" })).Status);
        var communities = (await Api.GetAsync(admin, "/api/communities")).Body.AsArray();
        Assert.Equal(["riverside"], communities.Select(c => c!["id"]!.GetValue<string>()));
        var added = await Api.PostAsync(admin, "/api/communities/riverside/units", new { id = "unit-riverside-school", nameZh = "河畔小学", nameEn = "Riverside Primary", kind = "school", joinedOn = "2026-09-01" });
        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(admin, "/api/communities/riverside/people/p-office-xie/deactivate", null)).Status);
    }
}
