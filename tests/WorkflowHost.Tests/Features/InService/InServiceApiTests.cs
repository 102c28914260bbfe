using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.InService;

/// <summary>
/// 在职党员进社区 through the HTTP API: registering with a unit field (the start pre-check leaves it to the engine), bad
/// input naming every field and changing nothing, the last place refused with 409, the office's hours on the member's record.
/// </summary>
public sealed class InServiceApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task A_member_registers_through_the_api_and_an_unknown_unit_is_named()
    {
        var unknown = await Api.PostAsync(People.InService, "/api/instances",
            new { process = "in-service-registration", input = new { unit = "unit-nowhere", branch = "一支部", phone = "13800001111", residence = "5 栋" } });
        Assert.True(unknown.Status == HttpStatusCode.BadRequest, unknown.ToString());
        Assert.Contains("unit", unknown.Body["errors"]!.AsObject().Select(e => e.Key).First(), StringComparison.Ordinal);

        var started = await Api.PostAsync(People.InService, "/api/instances",
            new { process = "in-service-registration", input = new { unit = "unit-detai-precision", branch = "一支部", phone = "13800001111", residence = "5 栋" } });
        Assert.True(started.Status == HttpStatusCode.Created, started.ToString());
    }

    [Fact]
    public async Task Bad_offers_are_refused_field_by_field_and_the_last_place_goes_to_one_claim()
    {
        var before = (await Api.GetAsync(People.Office, "/api/in-service/offers")).Body.AsArray().Count;
        var bad = await Api.PostAsync(People.Office, "/api/in-service/offers", new { kind = "post", title = "", places = 0, dueOn = "2026-13-01" });
        Assert.True(bad.Status == HttpStatusCode.BadRequest, bad.ToString());
        Assert.Equal(["category", "dueOn", "places", "title"], bad.Body["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        var past = await Api.PostAsync(People.Office, "/api/in-service/offers", new { kind = "wish", title = "旧心愿", places = 1, dueOn = "2026-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, past.Status);
        Assert.Equal(before, (await Api.GetAsync(People.Office, "/api/in-service/offers")).Body.AsArray().Count);

        var wish = await Api.PostAsync(People.Office, "/api/in-service/offers", new { kind = "wish", title = "给独居老人送一次午饭", places = 1, dueOn = "2026-12-10" });
        Assert.Equal(HttpStatusCode.Created, wish.Status);
        var id = wish.Body["id"]!.GetValue<Guid>();
        var claimed = await Api.PostAsync(People.InService, $"/api/in-service/offers/{id}/claims", null);
        Assert.Equal(HttpStatusCode.Created, claimed.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.PostAsync(People.InService, $"/api/in-service/offers/{id}/claims", null)).Status);

        var claim = claimed.Body["id"]!.GetValue<Guid>();
        var badHours = await Api.PostAsync(People.Office, $"/api/in-service/claims/{claim}/confirmation", new { served = true, hours = 1.3, servedOn = "2026-11-27" });
        Assert.Equal(["hours"], badHours.Body["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, $"/api/in-service/claims/{claim}/confirmation", new { served = true, hours = 1.5, servedOn = "2026-11-27" })).Status);

        var me = await Api.GetAsync(People.InService, "/api/in-service/me");
        Assert.True(me.Body["hoursThisYear"]!.GetValue<decimal>() >= 1.5m);
        Assert.Contains(me.Body["claims"]!.AsArray(), c => c!["title"]!.GetValue<string>() == "给独居老人送一次午饭" && c["status"]!.GetValue<string>() == "completed");
    }
}
