using System.Net;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Tests.Support;
using WorkflowHost.Web;

namespace WorkflowHost.Tests.Pages.InService;

/// <summary>
/// The office's forms on /in-service/office answer a refusal with the API's status, a line at the top and each error next
/// to its own field (as /submit and the meeting record do), the typed values kept, and nothing stored. Signed in through
/// the sign-in form, each form posted back with the page's antiforgery token.
/// </summary>
public sealed class OfficeFormErrorsPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly Texts Chinese = new(Texts.Chinese);

    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task A_publication_refused_by_the_validator_names_each_wrong_field_beside_it_and_stores_nothing()
    {
        var offers = (await Api.GetAsync(People.Office, "/api/in-service/offers")).Text;
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);

        var refused = await PostAsync(office, "Publish",
            [new("kind", "post"), new("category", ""), new("title", ""), new("description", "每周六上午"), new("places", "0"), new("dueOn", "2026-12-10")]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains($"data-test=\"error\">{Chinese.FixErrors}<", refused.Html, StringComparison.Ordinal);
        Assert.Contains(Beside("offer-category", Chinese.OfferCategoryNeeded), refused.Html, StringComparison.Ordinal);
        Assert.Contains(Beside("offer-title", Chinese.FieldRequired), refused.Html, StringComparison.Ordinal);
        Assert.Contains(Beside("offer-places", Chinese.OfferPlacesRange), refused.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"offer-due-error\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"offer-places-error\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-12-10\"", refused.Html, StringComparison.Ordinal); // what was typed stays in its box
        Assert.Contains(">每周六上午</textarea>", refused.Html, StringComparison.Ordinal);
        Assert.Equal(offers, (await Api.GetAsync(People.Office, "/api/in-service/offers")).Text);
    }

    [Fact]
    public async Task A_post_dated_in_the_past_shows_the_desks_refusal_beside_the_date_with_the_apis_400_and_leaves_the_roster_unfiltered()
    {
        var offers = (await Api.GetAsync(People.Office, "/api/in-service/offers")).Text;
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("kind", "post"), new("category", ServiceCategory.SafetyPatrol), new("title", "去年的巡逻"), new("places", "1"), new("dueOn", "2026-01-01"),
        };

        var refused = await PostAsync(office, "Publish", fields);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal((await Api.PostAsync(People.Office, "/api/in-service/offers", new { kind = "post", category = ServiceCategory.SafetyPatrol, title = "去年的巡逻", places = 1, dueOn = "2026-01-01" })).Status, refused.Status);
        Assert.Contains(Beside("offer-due", Chinese.OfferDueNotPast), refused.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"offer-title-error\"", refused.Html, StringComparison.Ordinal);
        // The post's category stays in the publication's box and does not become the roster's filter (same field name).
        Assert.Contains("roster/export?unit=&amp;category=\"", refused.Html, StringComparison.Ordinal);
        Assert.Equal(offers, (await Api.GetAsync(People.Office, "/api/in-service/offers")).Text);
    }

    [Fact]
    public async Task A_confirmation_with_wrong_hours_or_a_future_day_shows_the_error_beside_that_claims_box_and_stores_nothing()
    {
        var wish = await Api.PostAsync(People.Office, "/api/in-service/offers", new { kind = "wish", title = "帮老人修一次水龙头", places = 1, dueOn = "2026-12-10" });
        Assert.Equal(HttpStatusCode.Created, wish.Status);
        Assert.Equal(HttpStatusCode.Created, (await Api.PostAsync(People.InService, $"/api/in-service/offers/{wish.Body["id"]!.GetValue<string>()}/claims", null)).Status);
        var claim = (await Api.GetAsync(People.InService, "/api/in-service/me")).Body["claims"]!.AsArray()
            .Single(c => c!["title"]!.GetValue<string>() == "帮老人修一次水龙头")!["claimId"]!.GetValue<string>();
        var record = (await Api.GetAsync(People.InService, "/api/in-service/me")).Text;
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);

        var hours = await PostAsync(office, "Confirm", [new("claim", claim), new("served", "true"), new("hours", "0.3"), new("servedOn", "2026-11-26")]);

        Assert.Equal(HttpStatusCode.BadRequest, hours.Status);
        Assert.Contains(Beside($"hours-{claim}", Chinese.ServedHoursRange), hours.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"served-on-{claim}-error\"", hours.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"0.3\"", hours.Html, StringComparison.Ordinal);

        var future = await PostAsync(office, "Confirm", [new("claim", claim), new("served", "true"), new("hours", "2"), new("servedOn", "2026-12-20")]);

        Assert.Equal(HttpStatusCode.BadRequest, future.Status);
        Assert.Equal((await Api.PostAsync(People.Office, $"/api/in-service/claims/{claim}/confirmation", new { served = true, hours = 2, servedOn = "2026-12-20" })).Status, future.Status);
        Assert.Contains(Beside($"served-on-{claim}", Chinese.ServedOnNotFuture), future.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"hours-{claim}-error\"", future.Html, StringComparison.Ordinal);
        Assert.Equal(record, (await Api.GetAsync(People.InService, "/api/in-service/me")).Text);
    }

    /// <summary>The error paragraph that follows a box, named by the box's id (its aria-describedby points at it).</summary>
    private static string Beside(string box, string message) => $"<p class=\"error\" id=\"{box}-error\" data-test=\"field-error\">{message}</p>";

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(CookieBrowser browser, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var get = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/in-service/office"));
        var form = fields.Append(new("__RequestVerificationToken", PageForms.AntiforgeryToken(await get.Content.ReadAsStringAsync()) ?? "")).ToList();
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/in-service/office?handler={handler}") { Content = new FormUrlEncodedContent(form) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
