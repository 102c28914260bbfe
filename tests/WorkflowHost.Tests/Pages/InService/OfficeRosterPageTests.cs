using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages.InService;

/// <summary>
/// The roster filters on /in-service/office: a refused filter answers 400 with the page, names what was refused next to
/// its box, applies no filter, and every box shows what was applied (nothing), not the value the list ignored.
/// </summary>
public sealed class OfficeRosterPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Unit = "unit-housing-bureau";

    [Fact]
    public async Task A_valid_unit_filter_is_applied_and_shown_in_its_box()
    {
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);

        var (status, html) = await GetAsync(office, $"/in-service/office?unit={Unit}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"name=\"unit\" value=\"{Unit}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"roster-filter-errors\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_month_drops_every_filter_and_the_unit_box_shows_none()
    {
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var (_, whole) = await GetAsync(office, "/in-service/office");

        var (status, html) = await GetAsync(office, $"/in-service/office?unit={Unit}&month=2026-13");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("data-test=\"roster-filter-errors\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"roster-month-error\"", html, StringComparison.Ordinal);
        Assert.Contains("“2026-13”无效，未按此筛选。", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{Unit}\"", html, StringComparison.Ordinal);
        Assert.Contains("<input name=\"unit\" maxlength=\"64\" />", html, StringComparison.Ordinal); // no value: none applied
        Assert.Equal(Count(whole, "data-test=\"roster-row\""), Count(html, "data-test=\"roster-row\""));
    }

    private static int Count(string html, string marker) => html.Split(marker).Length - 1;

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(CookieBrowser browser, string path)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
