using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages.InService;

/// <summary>
/// The in-service pages answer a refused form with the API's status for the same refusal, the error on the page and
/// nothing changed: a claim already made or with no place left 409, by a member not registered 403, a publication dated in the past 400, a claim already
/// confirmed 409, an attendance entry already removed 409 and one never counted 404, an evaluation by the secretary 403
/// and one after the letters were issued 409. Signed in through the sign-in form, each form posted back with the page's
/// antiforgery token.
/// </summary>
public sealed class InServiceRefusalStatusTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Ye = "p-inservice-ye";
    private const string Zhou = "p-inservice-zhou";

    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task Claims_and_confirmations_the_desk_refuses_answer_the_apis_status_and_change_nothing()
    {
        var wish = await Api.PostAsync(People.Office, "/api/in-service/offers", new { kind = "wish", title = "帮独居老人买一次菜", places = 1, dueOn = "2026-12-10" });
        Assert.Equal(HttpStatusCode.Created, wish.Status);
        var offer = wish.Body["id"]!.GetValue<string>();
        using var huang = await CookieBrowser.SignedInAsync(fixture.Factory, People.InService);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(huang, "/in-service", "Claim", [new("offer", offer)])).Status);
        var offers = (await Api.GetAsync(People.Office, "/api/in-service/offers")).Text;

        var twice = await PostAsync(huang, "/in-service", "Claim", [new("offer", offer)]);
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal((await Api.PostAsync(People.InService, $"/api/in-service/offers/{offer}/claims", null)).Status, twice.Status);
        Assert.Contains("data-test=\"error\"", twice.Html, StringComparison.Ordinal);
        using var ye = await CookieBrowser.SignedInAsync(fixture.Factory, Ye);
        var full = await PostAsync(ye, "/in-service", "Claim", [new("offer", offer)]);
        Assert.Equal(HttpStatusCode.Conflict, full.Status);
        Assert.Contains("data-test=\"error\"", full.Html, StringComparison.Ordinal);
        Assert.Equal(offers, (await Api.GetAsync(People.Office, "/api/in-service/offers")).Text);

        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var past = await PostAsync(office, "/in-service/office", "Publish",
            [new("kind", "wish"), new("title", "旧心愿"), new("places", "1"), new("dueOn", "2026-01-01")]);
        Assert.Equal(HttpStatusCode.BadRequest, past.Status);
        Assert.Contains("data-test=\"error\"", past.Html, StringComparison.Ordinal);
        Assert.Equal(offers, (await Api.GetAsync(People.Office, "/api/in-service/offers")).Text);

        var claim = (await Api.GetAsync(People.InService, "/api/in-service/me")).Body["claims"]!.AsArray()
            .Single(c => c!["title"]!.GetValue<string>() == "帮独居老人买一次菜")!["claimId"]!.GetValue<string>();
        var served = new List<KeyValuePair<string, string>> { new("claim", claim), new("served", "true"), new("hours", "1.5"), new("servedOn", "2026-11-27") };
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(office, "/in-service/office", "Confirm", served)).Status);
        var hours = (await Api.GetAsync(People.InService, "/api/in-service/me")).Text;

        var again = await PostAsync(office, "/in-service/office", "Confirm", served);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal((await Api.PostAsync(People.Office, $"/api/in-service/claims/{claim}/confirmation", new { served = true, hours = 1.5, servedOn = "2026-11-27" })).Status, again.Status);
        Assert.Contains("data-test=\"error\"", again.Html, StringComparison.Ordinal);
        Assert.Equal(hours, (await Api.GetAsync(People.InService, "/api/in-service/me")).Text);
    }

    [Fact]
    public async Task A_claim_by_a_member_not_registered_with_the_community_answers_403_as_the_api_does()
    {
        // A party member with the in-service role whose registration the office has not confirmed (none in the seeds).
        const string Newcomer = "p-inservice-newcomer";
        await using (var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            db.People.Add(new Person
            {
                Id = Newcomer, CommunityId = "binhe", NameZh = "新来的党员", NameEn = "Newcomer",
                Roles = [new PersonRole { PersonId = Newcomer, Role = "in-service-member" }],
            });
            await db.SaveChangesAsync();
        }

        await DemoAccounts.EnsureAsync(fixture.Factory.Services);
        var wish = await Api.PostAsync(People.Office, "/api/in-service/offers", new { kind = "wish", title = "陪老人聊聊天", places = 3, dueOn = "2026-12-10" });
        var offer = wish.Body["id"]!.GetValue<string>();
        var offers = (await Api.GetAsync(People.Office, "/api/in-service/offers")).Text;
        using var newcomer = await CookieBrowser.SignedInAsync(fixture.Factory, Newcomer);

        var refused = await PostAsync(newcomer, "/in-service", "Claim", [new("offer", offer)]);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal((await Api.PostAsync(Newcomer, $"/api/in-service/offers/{offer}/claims", null)).Status, refused.Status);
        Assert.Contains("data-test=\"error\"", refused.Html, StringComparison.Ordinal);
        Assert.Equal(offers, (await Api.GetAsync(People.Office, "/api/in-service/offers")).Text);
    }

    [Fact]
    public async Task Removing_an_entry_already_removed_answers_409_and_one_never_counted_404_with_the_message_on_the_sheet()
    {
        var activity = (await Api.PostAsync("p-liaison-han", "/api/instances", new
        {
            process = "activity-co-organisation",
            input = new { title = "拒绝状态测试活动", date = "2026-12-12", startTime = "09:00", endTime = "11:00", place = "社区广场", description = "驻区单位与居民共同参加。", budget = 500 },
        })).Body["instanceId"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance", new { present = new[] { Zhou } })).Status);
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var path = $"/in-service/activities/{activity}";
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(office, path, "Remove", [new("person", Zhou), new("reason", "勾错了人")])).Status);
        var removals = (await Api.GetAsync(People.Office, $"/api/in-service/activities/{activity}/attendance/removals")).Text;

        var twice = await PostAsync(office, path, "Remove", [new("person", Zhou), new("reason", "再移除一次")]);
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal((await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance/{Zhou}/removal", new { reason = "再移除一次" })).Status, twice.Status);
        Assert.Contains("id=\"f-present-error\"", twice.Html, StringComparison.Ordinal);

        var never = await PostAsync(office, path, "Remove", [new("person", Ye), new("reason", "没有这条记录")]);
        Assert.Equal(HttpStatusCode.NotFound, never.Status);
        Assert.Equal((await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance/{Ye}/removal", new { reason = "没有这条记录" })).Status, never.Status);
        Assert.Contains("id=\"f-present-error\"", never.Html, StringComparison.Ordinal);
        Assert.Equal(removals, (await Api.GetAsync(People.Office, $"/api/in-service/activities/{activity}/attendance/removals")).Text);
    }

    [Fact]
    public async Task An_evaluation_by_the_secretary_answers_403_and_one_after_the_letters_were_issued_409()
    {
        Assert.True(Assert.Single(await fixture.Factory.Services.GetRequiredService<AnnualFeedbackOpener>().OpenAsync(2026)).Opened);
        var members = (await Api.GetAsync(People.Office, "/api/in-service/reviews/2026")).Body["members"]!.AsArray().Select(m => m!["person"]!.GetValue<string>()).ToList();
        var rated = new List<KeyValuePair<string, string>> { new("year", "2026") };
        for (var i = 0; i < members.Count; i++)
        {
            rated.Add(new($"Rows[{i}].Member", members[i]));
            rated.Add(new($"Rows[{i}].Rating", "competent"));
        }

        using var secretary = await CookieBrowser.SignedInAsync(fixture.Factory, People.Secretary);
        var bySecretary = await PostAsync(secretary, "/in-service/office/review", null, rated);
        Assert.Equal(HttpStatusCode.Forbidden, bySecretary.Status);
        Assert.Contains("data-test=\"error\"", bySecretary.Html, StringComparison.Ordinal);
        Assert.All((await Api.GetAsync(People.Office, "/api/in-service/reviews/2026")).Body["members"]!.AsArray(), m => Assert.Null(m!["rating"]));

        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(office, "/in-service/office/review", null, [.. rated, new("issue", "true")])).Status);
        var issued = (await Api.GetAsync(People.Office, "/api/in-service/reviews/2026")).Text;

        var after = await PostAsync(office, "/in-service/office/review", null, rated);
        Assert.Equal(HttpStatusCode.Conflict, after.Status);
        Assert.Contains("data-test=\"error\"", after.Html, StringComparison.Ordinal);
        Assert.Equal(issued, (await Api.GetAsync(People.Office, "/api/in-service/reviews/2026")).Text);
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(CookieBrowser browser, string path, string? handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var get = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        var form = fields.Append(new("__RequestVerificationToken", PageForms.AntiforgeryToken(await get.Content.ReadAsStringAsync()) ?? "")).ToList();
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, handler is null ? path : $"{path}?handler={handler}") { Content = new FormUrlEncodedContent(form) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
