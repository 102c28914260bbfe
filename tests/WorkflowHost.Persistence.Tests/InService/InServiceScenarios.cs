using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.InService;

/// <summary>
/// 在职党员进社区 on a real database: registration through the engine (by the member, by a unit's list; returned and
/// amended; moving ends the old one and keeps it), the last place of a post raced by two hosts, hours by year, and the
/// consultation's community record reading all of it.
/// </summary>
public abstract class InServiceScenarios
{
    private const string Zhou = "p-inservice-zhou";          // registered in the seeds by the housing bureau
    private const string Ye = "p-inservice-ye";
    private const string Guo = "p-inservice-guo";
    private const string HousingBureau = "unit-housing-bureau";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static JsonObject SelfRegistration() => new()
    {
        ["unit"] = HousingBureau,
        ["branch"] = "住建局机关第二党支部",
        ["phone"] = "13800001234",
        ["residence"] = "滨河社区 锦江花园 5 栋",
        ["skills"] = "法律咨询",
        ["posts"] = new JsonArray(new JsonObject { ["category"] = "safety-patrol" }, new JsonObject { ["category"] = "policy-outreach" }),
    };

    private static ServiceDesk Desk(WorkflowTestHost host) => host.Services.GetRequiredService<ServiceDesk>();

    private static InServiceRecords Records(WorkflowTestHost host) => host.Services.GetRequiredService<InServiceRecords>();

    [Fact]
    public async Task A_member_registers_the_office_returns_it_then_confirms_and_moving_keeps_the_old_registration_in_the_history()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new ProcessDriver(host);
        var id = await flow.StartAsync("in-service-registration", Zhou, SelfRegistration());

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "return");
        await flow.SendAsync(id, new CompleteTask(await flow.OpenAsync(id, "amend"), Zhou, "resubmit", AmendedInput: new JsonObject { ["phone"] = "13900005678" }));
        await using (var db = await host.OpenDbAsync())
        {
            // Not on the roster anew until the office confirms: still the seeded registration.
            Assert.Equal(new DateOnly(2024, 6, 20), (await db.Set<InServiceRegistration>().SingleAsync(r => r.PersonId == Zhou)).RegisteredOn);
            Assert.Empty(await db.Set<EndedRegistration>().ToListAsync());
        }

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "confirm");
        Assert.Equal((InstanceStatus.Completed, "registered"), ((await flow.SnapshotAsync(id)).State.Status, (await flow.SnapshotAsync(id)).State.Result));

        await using var check = await host.OpenDbAsync();
        var current = await check.Set<InServiceRegistration>().SingleAsync(r => r.PersonId == Zhou);
        Assert.Equal((new DateOnly(2026, 11, 27), "13900005678", "住建局机关第二党支部", "safety-patrol,policy-outreach", id),
            (current.RegisteredOn, current.Phone, current.Branch, current.PreferredPosts, current.InstanceId));
        var ended = Assert.Single(await check.Set<EndedRegistration>().ToListAsync());
        Assert.Equal((Zhou, HousingBureau, new DateOnly(2026, 11, 27), id), (ended.PersonId, ended.UnitId, ended.EndedOn, ended.EndedByInstanceId));
        Assert.True(ended.RegisteredOn < ended.EndedOn);
        Assert.Equal(1, await check.Set<InServiceRegistration>().CountAsync(r => r.PersonId == Zhou)); // one community at a time
    }

    [Fact]
    public async Task A_unit_registers_its_members_from_a_list_and_a_person_who_is_no_in_service_member_is_refused_at_the_start()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new ProcessDriver(host);
        JsonObject Row(string member) => new() { ["member"] = member, ["branch"] = "第一党支部", ["phone"] = "13800009999", ["residence"] = "滨河社区 3 栋" };

        var refused = await host.Commands.StartAsync(new StartCommand("in-service-bulk-registration", ProcessDriver.Community, Consultation.Liaison,
            new JsonObject { ["members"] = new JsonArray(Row(Guo), Row(ProcessDriver.OfficeXie)) }));
        Assert.False(refused.Succeeded);
        Assert.Contains("members[1].member", refused.Errors!.Keys);

        var id = await flow.StartAsync("in-service-bulk-registration", Consultation.Liaison, new JsonObject { ["members"] = new JsonArray(Row(Guo), Row(Ye)) });
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "confirm");

        var roster = await Records(host).RosterAsync(ProcessDriver.Community, HousingBureau);
        Assert.Equal([Guo, Ye, Zhou], roster.Select(r => r.PersonId).Order(StringComparer.Ordinal));
        Assert.All(roster.Where(r => r.PersonId != Zhou), r => Assert.Equal(("第一党支部", new DateOnly(2026, 11, 27)), (r.Branch, r.RegisteredOn)));
    }

    [Fact]
    public async Task Two_hosts_racing_for_the_last_place_of_a_post_exactly_one_wins_every_time()
    {
        await using var database = await CreateDatabaseAsync();
        await using var first = await WorkflowTestHost.StartAsync(database);
        await using var second = await WorkflowTestHost.StartAsync(database, first.Time);
        for (var round = 0; round < 8; round++)
        {
            var post = await Desk(first).PublishAsync(ProcessDriver.OfficeXie, ProcessDriver.Community,
                new OfferInput(ServiceOfferKind.Post, ServiceCategory.SafetyPatrol, $"周末治安巡逻 {round}", null, 2, new DateOnly(2026, 12, 12)));
            Assert.True((await Desk(first).ClaimAsync(ProcessDriver.Community, post.Id!.Value, Guo)).Succeeded); // one place left

            var start = new TaskCompletionSource();
            var racing = new[] { (Host: first, Member: Zhou), (Host: second, Member: Ye) }
                .Select(r => Task.Run(async () => { await start.Task; return await Desk(r.Host).ClaimAsync(ProcessDriver.Community, post.Id.Value, r.Member); }))
                .ToArray();
            start.SetResult();
            var results = await Task.WhenAll(racing);

            Assert.Single(results, r => r.Succeeded);
            Assert.Single(results, r => r.Outcome == DeskOutcome.Full);
            await using var db = await first.OpenDbAsync();
            Assert.Equal(2, (await db.Set<ServiceOffer>().SingleAsync(o => o.Id == post.Id)).Claimed);
            Assert.Equal(2, await db.Set<ServiceClaim>().CountAsync(c => c.OfferId == post.Id));
        }
    }

    [Fact]
    public async Task Hours_count_by_the_year_served_a_refused_claim_changes_nothing_and_the_consultation_shows_them()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var desk = Desk(host);
        var post = (await desk.PublishAsync(ProcessDriver.OfficeXie, ProcessDriver.Community,
            new OfferInput(ServiceOfferKind.Post, ServiceCategory.PolicyOutreach, "反诈宣传进楼栋", "在小区门口发放宣传册", 3, new DateOnly(2026, 12, 20)))).Id!.Value;
        var wish = (await desk.PublishAsync(ProcessDriver.OfficeXie, ProcessDriver.Community,
            new OfferInput(ServiceOfferKind.Wish, null, "独居老人想要一台收音机", null, 1, new DateOnly(2026, 12, 20)))).Id!.Value;

        // Someone not registered cannot claim, and nothing changes.
        var refused = await desk.ClaimAsync(ProcessDriver.Community, post, Consultation.Liaison);
        Assert.Equal(DeskOutcome.NotRegistered, refused.Outcome);
        Assert.Equal(DeskOutcome.NotFound, (await desk.ClaimAsync("another-community", post, Zhou)).Outcome);

        var served = (await desk.ClaimAsync(ProcessDriver.Community, post, Zhou)).Id!.Value;
        var wished = (await desk.ClaimAsync(ProcessDriver.Community, wish, Zhou)).Id!.Value;
        Assert.Equal(DeskOutcome.AlreadyClaimed, (await desk.ClaimAsync(ProcessDriver.Community, post, Zhou)).Outcome);
        Assert.Equal(DeskOutcome.NotOpen, (await desk.ConfirmAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, served, true, null, null)).Outcome);
        Assert.True((await desk.ConfirmAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, served, true, 150, new DateOnly(2026, 11, 27))).Succeeded);
        Assert.True((await desk.ConfirmAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, wished, false, null, null)).Succeeded);
        Assert.Equal(DeskOutcome.NotOpen, (await desk.ConfirmAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, served, true, 60, new DateOnly(2026, 11, 27))).Outcome);

        var now = await Records(host).MemberAsync(ProcessDriver.Community, Zhou);
        Assert.Equal((150, 0), (now!.Hours.MinutesThisYear, now.Hours.MinutesLastYear));
        Assert.Equal(1, (await Records(host).OpenOffersAsync(ProcessDriver.Community)).Single(o => o.Offer.Id == wish).PlacesLeft); // given back
        Assert.Equal(150, (await Records(host).MinutesPerMonthAsync(ProcessDriver.Community, 2026))[10]);

        host.Time.SetUtcNow(new DateTimeOffset(2027, 1, 6, 9, 0, 0, Shanghai).ToUniversalTime());
        var next = await Records(host).MemberAsync(ProcessDriver.Community, Zhou);
        Assert.Equal((0, 150), (next!.Hours.MinutesThisYear, next.Hours.MinutesLastYear));

        var flow = new ProcessDriver(host);
        var input = Consultation.ValidInput();
        input["replyNeededBy"] = "2027-03-31";
        var consultation = await flow.StartAsync("promotion-consultation", Consultation.Liaison, input);
        var record = await flow.RecordAsync(consultation, "community-record");
        Assert.Equal((true, 0m, 2.5m), (record["registered"]!.GetValue<bool>(), record["hoursThisYear"]!.GetValue<decimal>(), record["hoursLastYear"]!.GetValue<decimal>()));
        Assert.Equal("反诈宣传进楼栋", Assert.Single(record["posts"]!.AsArray())!["title"]!.GetValue<string>());

        input["nomineeName"] = "张三";
        var stranger = await flow.StartAsync("promotion-consultation", Consultation.Liaison, input);
        Assert.False((await flow.RecordAsync(stranger, "community-record"))["registered"]!.GetValue<bool>());
    }
}

public sealed class SqliteInServiceTests : InServiceScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlInServiceTests : InServiceScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
