using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages.InService;

/// <summary>
/// The participation pages, signed in through the sign-in form: the office takes attendance and opens a check-in (code and
/// QR code shown), the member checks in on /in-service/check-in with a wrong code refused next to the field, the dashboard
/// shows the in-service figures linking to the roster, and the consultation's start form lists the unit's registered members.
/// </summary>
public sealed class ParticipationPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Organiser = "p-liaison-han";

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(CookieBrowser browser, string path)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Html, string? Location)> PostAsync(CookieBrowser browser, string path, string? handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var (_, page) = await GetAsync(browser, path);
        var form = fields.Append(new("__RequestVerificationToken", PageForms.AntiforgeryToken(page) ?? "")).ToList();
        var target = handler is null ? path : $"{path}{(path.Contains('?') ? '&' : '?')}handler={handler}";
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(form) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString());
    }

    private async Task<Guid> ActivityAsync(string title)
    {
        var started = await fixture.Api.PostAsync(Organiser, "/api/instances", new
        {
            process = "activity-co-organisation",
            input = new { title, date = "2026-12-12", startTime = "14:00", endTime = "16:00", place = "社区活动中心", description = "在职党员参加的社区活动。", budget = 1000 },
        });
        Assert.True(started.Status == HttpStatusCode.Created, started.ToString());
        return started.Body["instanceId"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task The_office_takes_attendance_and_opens_a_check_in_and_the_member_checks_in_on_the_page()
    {
        var activity = await ActivityAsync("社区书法进万家");
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        Assert.Contains("社区书法进万家", (await GetAsync(office, "/in-service/activities")).Html, StringComparison.Ordinal);
        var page = $"/in-service/activities/{activity}";

        var (noneStatus, none, _) = await PostAsync(office, page, "Attendance", []);
        Assert.Equal(HttpStatusCode.BadRequest, noneStatus);
        Assert.Contains("id=\"f-present-error\"", none, StringComparison.Ordinal);

        var (savedStatus, _, savedAt) = await PostAsync(office, page, "Attendance", [new("present", "p-inservice-zhou"), new("volunteer", "p-inservice-zhou")]);
        Assert.Equal(HttpStatusCode.Redirect, savedStatus);
        var (_, saved) = await GetAsync(office, savedAt!);
        Assert.Contains("已新增 1 人", saved, StringComparison.Ordinal);
        Assert.Contains("办公室录入 · 志愿者", saved, StringComparison.Ordinal);

        var (badStatus, bad, _) = await PostAsync(office, page, "CheckIn", [new("minutes", "1")]);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("id=\"f-minutes-error\"", bad, StringComparison.Ordinal);
        var (openedStatus, _, _) = await PostAsync(office, page, "CheckIn", [new("minutes", "60")]);
        Assert.Equal(HttpStatusCode.Redirect, openedStatus);
        var (_, opened) = await GetAsync(office, page);
        var code = System.Text.RegularExpressions.Regex.Match(opened, "data-test=\"check-in-code\">([0-9]{6})<").Groups[1].Value;
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Contains("<svg", opened, StringComparison.Ordinal);

        using var member = await CookieBrowser.SignedInAsync(fixture.Factory, People.InService);
        Assert.Contains($"value=\"{code}\"", (await GetAsync(member, $"/in-service/check-in?code={code}")).Html, StringComparison.Ordinal);
        var (wrongStatus, wrong, _) = await PostAsync(member, "/in-service/check-in", null, [new("code", code == "111111" ? "222222" : "111111")]);
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Contains("id=\"f-code-error\"", wrong, StringComparison.Ordinal);
        Assert.Contains("This code is not right", wrong, StringComparison.Ordinal); // Huang reads the pages in English

        var (doneStatus, done, _) = await PostAsync(member, "/in-service/check-in", null, [new("code", code)]);
        Assert.Equal(HttpStatusCode.OK, doneStatus);
        Assert.Contains("Checked in: 社区书法进万家", done, StringComparison.Ordinal);
        var (_, again, _) = await PostAsync(member, "/in-service/check-in", null, [new("code", code)]);
        Assert.Contains("You were already counted", again, StringComparison.Ordinal);
        Assert.Contains("社区书法进万家", (await GetAsync(member, "/in-service")).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(member, page)).Status);
    }

    [Fact]
    public async Task The_dashboard_links_the_in_service_figures_to_the_roster_and_the_start_form_lists_registered_members()
    {
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var (_, dashboard) = await GetAsync(office, "/dashboard");
        Assert.Contains("data-test=\"hours-per-month\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("/in-service/office?month=2026-", dashboard, StringComparison.Ordinal);
        var (_, roster) = await GetAsync(office, "/in-service/office?month=2026-13");
        Assert.Contains("data-test=\"roster\"", roster, StringComparison.Ordinal); // a bad filter shows the whole roster

        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);
        var (_, form) = await GetAsync(liaison, "/submit/promotion-consultation");
        Assert.Contains("name=\"nomineeMember\"", form, StringComparison.Ordinal);
        Assert.Contains("<option value=\"p-inservice-zhou\"", form, StringComparison.Ordinal);      // registered by the housing bureau
        Assert.DoesNotContain("<option value=\"p-inservice-huang\"", form, StringComparison.Ordinal); // another unit's

        using var member = await CookieBrowser.SignedInAsync(fixture.Factory, People.InService);
        var (_, registration) = await GetAsync(member, "/submit/in-service-registration");
        Assert.Contains("<select id=\"f-unit\" name=\"unit\"", registration, StringComparison.Ordinal);
        Assert.Contains("<option value=\"unit-housing-bureau\"", registration, StringComparison.Ordinal);
    }
}
