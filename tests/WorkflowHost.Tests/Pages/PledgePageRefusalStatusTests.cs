using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// The pledge page (/activities/{id}/{step}/pledges) answers a refused form with the API's status for the same refusal,
/// the error on the page (next to the field where there is one) and nothing changed: 400 for a pledge the engine refuses
/// as input or a facility already booked, 400 for a retraction's reason the validator refuses, 403 for someone who may
/// not pledge, 404 or 409 as the API answers a retraction of a pledge that is not there. Signed in through the sign-in
/// form, each form posted back with the page's antiforgery token.
/// </summary>
public sealed class PledgePageRefusalStatusTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string School = "p-liaison-han";   // unit-xinhua-road-primary, owns fac-primary-playground
    private const string Library = "p-liaison-dong"; // unit-district-library, owns fac-library-lecture-hall

    private ApiDriver Api => fixture.Api;

    private static string Page(Guid id, string window) => $"/activities/{id}/{Uri.EscapeDataString(window)}/pledges";

    private async Task<string> TimelineAsync(Guid id) => (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text;

    [Fact]
    public async Task A_pledge_missing_a_field_answers_400_as_the_api_does_with_the_error_next_to_the_field_and_nothing_pledged()
    {
        var (id, window) = await OpenWindowAsync();
        var before = await TimelineAsync(id);
        var api = await Api.PostAsync(School, ApiDriver.Step(id, window, "contributions"), new { item = new { kind = "volunteers" } });
        using var school = await CookieBrowser.SignedInAsync(fixture.Factory, School);

        var (status, html) = await PostAsync(school, Page(id, window), "Pledge", [new("item.kind", "volunteers")]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(api.Status, status);
        Assert.Contains("data-test=\"error\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"f-item-volunteers-error\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await TimelineAsync(id));
    }

    [Fact]
    public async Task A_facility_already_booked_answers_400_as_the_api_does_with_the_message_next_to_the_facility()
    {
        var (id, window) = await OpenWindowAsync();
        using var library = await CookieBrowser.SignedInAsync(fixture.Factory, Library);
        var (pledged, _) = await PostAsync(library, Page(id, window), "Pledge",
            [new("item.kind", "facility"), new("item.facility", "fac-library-lecture-hall"), new("item.from", "13:00"), new("item.to", "15:00")]);
        Assert.Equal(HttpStatusCode.Redirect, pledged);
        var before = await TimelineAsync(id);
        var api = await Api.PostAsync(Library, ApiDriver.Step(id, window, "contributions"),
            new { item = new { kind = "facility", facility = "fac-library-lecture-hall", from = "14:00", to = "16:00" } });

        var (status, html) = await PostAsync(library, Page(id, window), "Pledge",
            [new("item.kind", "facility"), new("item.facility", "fac-library-lecture-hall"), new("item.from", "14:30"), new("item.to", "16:00")]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(api.Status, status);
        Assert.Contains("id=\"f-item-facility-error\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await TimelineAsync(id));
    }

    [Fact]
    public async Task Someone_who_may_not_pledge_answers_403_as_the_api_does()
    {
        var (id, window) = await OpenWindowAsync();
        var before = await TimelineAsync(id);
        var api = await Api.PostAsync(People.Secretary, ApiDriver.Step(id, window, "contributions"), new { item = new { kind = "volunteers", volunteers = 2 } });
        using var secretary = await CookieBrowser.SignedInAsync(fixture.Factory, People.Secretary);

        var (status, html) = await PostAsync(secretary, Page(id, window), "Pledge", [new("item.kind", "volunteers"), new("item.volunteers", "2")]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(api.Status, status);
        Assert.Contains("data-test=\"error\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await TimelineAsync(id));
    }

    [Fact]
    public async Task A_retraction_with_too_long_a_reason_answers_400_and_a_retraction_of_no_pledge_answers_as_the_api_does()
    {
        var (id, window) = await OpenWindowAsync();
        using var school = await CookieBrowser.SignedInAsync(fixture.Factory, School);
        var (pledged, _) = await PostAsync(school, Page(id, window), "Pledge", [new("item.kind", "volunteers"), new("item.volunteers", "4")]);
        Assert.Equal(HttpStatusCode.Redirect, pledged);
        var before = await TimelineAsync(id);

        var (longStatus, longHtml) = await PostAsync(school, Page(id, window), "Retract", [new("index", "0"), new("reason", new string('长', 501))]);
        Assert.Equal(HttpStatusCode.BadRequest, longStatus);
        Assert.Contains("data-test=\"error\"", longHtml, StringComparison.Ordinal);

        var api = await Api.PostAsync(School, ApiDriver.Step(id, window, "contributions/7/retract"), new { reason = "没有这一条" });
        var (noneStatus, noneHtml) = await PostAsync(school, Page(id, window), "Retract", [new("index", "7"), new("reason", "没有这一条")]);
        Assert.True(noneStatus is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Conflict, $"{noneStatus}");
        Assert.Equal(api.Status, noneStatus);
        Assert.Contains("data-test=\"error\"", noneHtml, StringComparison.Ordinal);
        Assert.Equal(before, await TimelineAsync(id));
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(CookieBrowser browser, string path, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var get = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        var all = fields.Append(new("__RequestVerificationToken", PageForms.AntiforgeryToken(await get.Content.ReadAsStringAsync()) ?? "")).ToList();
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{path}?handler={handler}") { Content = new FormUrlEncodedContent(all) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A sports day on Saturday 12 December 2026 (two weeks after the fake clock's start): its sign-up window is open.</summary>
    private async Task<(Guid Id, string Window)> OpenWindowAsync()
    {
        var id = await Api.SubmitAsync(School, new JsonObject
        {
            ["title"] = "社区邻里运动会", ["date"] = "2026-12-12", ["startTime"] = "09:00", ["endTime"] = "12:00",
            ["place"] = "新华路小学操场", ["description"] = "邻里趣味运动会。", ["budget"] = 8000,
        }, process: "activity-co-organisation");
        var view = await Api.InstanceAsync(id, School);
        return (id, view["currentSteps"]!.AsArray().Single(s => s!["activity"]!.GetValue<string>() == "sign-up")!["stepId"]!.GetValue<string>());
    }
}
