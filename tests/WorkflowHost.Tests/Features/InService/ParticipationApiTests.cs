using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.InService;

/// <summary>
/// The participation log and the dashboard figures through the HTTP API, signed in as each person: the office opens a
/// check-in and enters attendance, a member checks in (twice: counted once), a wrong code is named on its field, refusals
/// change nothing, and a unit's registration rate appears once the unit gives its total.
/// </summary>
public sealed class ParticipationApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Organiser = "p-liaison-han";
    private const string Zhou = "p-inservice-zhou";

    private ApiDriver Api => fixture.Api;

    private async Task<Guid> ActivityAsync(string title)
    {
        var started = await Api.PostAsync(Organiser, "/api/instances", new
        {
            process = "activity-co-organisation",
            input = new { title, date = "2026-12-12", startTime = "09:00", endTime = "11:00", place = "社区广场", description = "驻区单位与居民共同参加。", budget = 2000 },
        });
        Assert.True(started.Status == HttpStatusCode.Created, started.ToString());
        return started.Body["instanceId"]!.GetValue<Guid>();
    }

    private async Task<int> CountedAsync(Guid activity) =>
        (await Api.GetAsync(People.Office, $"/api/in-service/activities/{activity}/attendance")).Body["members"]!.AsArray()
            .Count(m => m!["source"] is not null);

    [Fact]
    public async Task The_office_opens_a_check_in_and_a_member_checks_in_once_with_its_code()
    {
        var activity = await ActivityAsync("社区冬季长跑");
        Assert.Contains((await Api.GetAsync(People.Office, "/api/in-service/activities")).Body.AsArray(), a => a!["instanceId"]!.GetValue<Guid>() == activity);

        var badWindow = await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/check-ins", new { minutes = 2 });
        Assert.Equal(["minutes"], badWindow.Body["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.InService, $"/api/in-service/activities/{activity}/check-ins", new { minutes = 60 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.Office, $"/api/in-service/activities/{Guid.NewGuid()}/check-ins", new { minutes = 60 })).Status);

        var opened = await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/check-ins", new { minutes = 90 });
        Assert.True(opened.Status == HttpStatusCode.Created, opened.ToString());
        var code = opened.Body["code"]!.GetValue<string>();
        Assert.EndsWith($"/in-service/check-in?code={code}", opened.Body["link"]!.GetValue<string>(), StringComparison.Ordinal);

        var malformed = await Api.PostAsync(People.InService, "/api/in-service/check-ins", new { code = "12ab" });
        Assert.Equal(["code"], malformed.Body["errors"]!.AsObject().Select(e => e.Key));
        var wrong = await Api.PostAsync(People.InService, "/api/in-service/check-ins", new { code = code == "000000" ? "000001" : "000000" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("not right", wrong.Body["errors"]!["code"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await CountedAsync(activity));
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Office, "/api/in-service/check-ins", new { code })).Status);

        var first = await Api.PostAsync(People.InService, "/api/in-service/check-ins", new { code });
        var second = await Api.PostAsync(People.InService, "/api/in-service/check-ins", new { code });
        Assert.Equal((HttpStatusCode.OK, false, "社区冬季长跑"), (first.Status, first.Body["alreadyCounted"]!.GetValue<bool>(), first.Body["title"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.OK, true), (second.Status, second.Body["alreadyCounted"]!.GetValue<bool>()));
        Assert.Equal(1, await CountedAsync(activity));

        var me = await Api.GetAsync(People.InService, "/api/in-service/me");
        Assert.Contains(me.Body["activities"]!.AsArray(), a => a!["title"]!.GetValue<string>() == "社区冬季长跑" && a["source"]!.GetValue<string>() == "check-in");
    }

    [Fact]
    public async Task Attendance_is_idempotent_and_a_stranger_refuses_it_whole()
    {
        var activity = await ActivityAsync("社区义务植树");
        var stranger = await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance", new { present = new[] { Zhou, People.Liaison } });
        Assert.Equal(["present"], stranger.Body["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, await CountedAsync(activity));
        var empty = await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance", new { present = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.InService, $"/api/in-service/activities/{activity}/attendance", new { present = new[] { Zhou } })).Status);

        var first = await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance", new { present = new[] { Zhou }, volunteers = new[] { People.InService } });
        var again = await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance", new { present = new[] { Zhou, People.InService } });
        Assert.Equal((2, 0), (first.Body["added"]!.GetValue<int>(), again.Body["added"]!.GetValue<int>()));
        var sheet = (await Api.GetAsync(People.Office, $"/api/in-service/activities/{activity}/attendance")).Body["members"]!.AsArray();
        Assert.Equal("volunteer", sheet.Single(m => m!["personId"]!.GetValue<string>() == People.InService)!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_units_registration_rate_shows_once_it_gives_its_total_and_a_bad_month_is_refused()
    {
        var before = await Api.GetAsync(People.Office, "/api/in-service/figures");
        Assert.Equal(12, before.Body["hoursPerMonth"]!.AsArray().Count);
        Assert.DoesNotContain(before.Body["registrationRates"]!.AsArray(), r => r!["unitId"]!.GetValue<string>() == "unit-housing-bureau");

        var negative = await Api.SendAsync(People.Administrator, HttpMethod.Put, "/api/communities/binhe/units/unit-housing-bureau/in-service-members", new { inServiceMembers = -1 });
        Assert.Equal(["inServiceMembers"], negative.Body["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(People.Administrator, HttpMethod.Put, "/api/communities/binhe/units/unit-housing-bureau/in-service-members", new { inServiceMembers = 8 })).Status);

        var rates = (await Api.GetAsync(People.Office, "/api/in-service/figures")).Body["registrationRates"]!.AsArray();
        var housing = rates.Single(r => r!["unitId"]!.GetValue<string>() == "unit-housing-bureau")!;
        var registered = (await Api.GetAsync(People.Office, "/api/in-service/roster?unit=unit-housing-bureau")).Body.AsArray().Count;
        Assert.Equal((registered, 8), (housing["registered"]!.GetValue<int>(), housing["total"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync(People.InService, "/api/in-service/figures")).Status);

        var badMonth = await Api.GetAsync(People.Office, "/api/in-service/roster?month=2026-13");
        Assert.Equal(["month"], badMonth.Body["errors"]!.AsObject().Select(e => e.Key));
    }
}
