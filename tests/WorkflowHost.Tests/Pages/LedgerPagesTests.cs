using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>The ledger, dashboard and co-building pages, signed in through the real sign-in form.</summary>
public sealed class LedgerPagesTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData(People.Liaison, "/ledger", HttpStatusCode.Forbidden)]
    [InlineData(People.Member, "/ledger", HttpStatusCode.Forbidden)]
    [InlineData(People.Member, "/dashboard", HttpStatusCode.Forbidden)]
    [InlineData(People.Member, "/co-building", HttpStatusCode.Forbidden)]
    [InlineData(People.OtherLiaison, "/co-building/unit-housing-bureau", HttpStatusCode.NotFound)]
    [InlineData(People.Street, "/co-building/unit-hilltop-clinic", HttpStatusCode.NotFound)]
    [InlineData(People.Office, "/ledger?year=26&overdue=maybe", HttpStatusCode.BadRequest)]
    [InlineData(People.Office, "/ledger", HttpStatusCode.OK)]
    [InlineData(People.Street, "/co-building/unit-riverside-clinic", HttpStatusCode.OK)]
    [InlineData(People.Liaison, "/co-building/unit-housing-bureau", HttpStatusCode.OK)]
    public async Task Each_page_answers_only_those_it_is_for(string person, string path, HttpStatusCode expected)
    {
        using var browser = await CookieBrowser.SignedInAsync(fixture.Factory, person);
        using var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        Assert.Equal(expected, page.StatusCode);
    }

    [Fact]
    public async Task A_liaison_opening_the_co_building_record_lands_on_their_own_unit()
    {
        using var browser = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);
        using var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/co-building"));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/co-building/unit-housing-bureau", page.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_ledger_page_lists_what_the_api_lists_and_links_its_exports()
    {
        var id = await fixture.Api.SubmitAsync(People.Liaison, Features.Ledger.LedgerScenario.Consultation("页面台账"));
        using var browser = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        using var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/ledger?q=页面台账"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"data-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("/api/ledger/export?format=xlsx&amp;q=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_writes_short_durations_in_hours_and_links_each_figure_to_the_ledger()
    {
        var id = await fixture.Api.AtBallotAsync();
        fixture.Factory.Time.Advance(TimeSpan.FromHours(3));
        fixture.Api.ForgetTokens();
        var vote = await fixture.Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "consent" });
        Assert.True(vote.Status == HttpStatusCode.OK, vote.ToString());

        using var browser = await CookieBrowser.SignedInAsync(fixture.Factory, People.Secretary);
        using var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dashboard"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("3.0 小时", html, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0 天", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/ledger?member=p-member-li\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/ledger?overdue=true\"", html, StringComparison.Ordinal);
        Assert.Contains("data-test=\"per-member\"", html, StringComparison.Ordinal);
    }
}
