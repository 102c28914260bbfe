using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// The dashboard's in-service figures in a real browser, in Chinese, axe on each new page: the administrator gives a
/// unit's total of in-service members on the directory page, the change journal records it, and the office's dashboard
/// shows that unit's registration rate; each figure (rate per unit, confirmed hours per month) links to the roster
/// filtered as it says. The host's clock is fixed in the seeds' year, so the seeded hours fall in the dashboard's year.
/// </summary>
public sealed partial class InServiceFiguresInTheBrowserTests
{
    private const string HousingBureau = "unit-housing-bureau";   // one registered member in the seeds: 周立新

    private static FakeTimeProvider SeedsYear() => new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(8)));

    [Fact]
    public async Task A_unit_total_set_on_the_directory_page_is_journaled_and_gives_the_dashboard_its_registration_rate()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start(SeedsYear());

        // No unit has given its total yet: the dashboard says so.
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        await office.GotoAsync("/dashboard");
        await office.WaitForSelectorAsync("[data-test=no-unit-totals]");

        var admin = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(admin, "p-admin-shen");
        await admin.GotoAsync("/admin/directory");
        var total = admin.Locator($"tr[data-unit={HousingBureau}] [data-test=in-service-total]");
        Assert.Equal("", await total.Locator("input[name=total]").InputValueAsync());
        await total.Locator("input[name=total]").FillAsync("4");
        await total.Locator("button[type=submit]").ClickAsync();
        await admin.WaitForSelectorAsync("[data-test=message]");
        Assert.Equal("已保存。", await admin.InnerTextAsync("[data-test=message]"));
        Assert.Equal("4", await total.Locator("input[name=total]").InputValueAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "directory with a unit's in-service total");

        // The journal: who, the unit, the total before (none) and after.
        await admin.ClickAsync("a[href^='/admin/directory/changes']");
        await admin.WaitForSelectorAsync("[data-test=changes]");
        var change = admin.Locator("[data-test=change]", new() { HasText = HousingBureau });
        Assert.Equal(1, await change.CountAsync());
        Assert.Equal("p-admin-shen", (await change.Locator("td").Nth(1).InnerTextAsync()).Trim());
        Assert.Matches(TotalIs("null"), await change.Locator("td").Nth(4).InnerTextAsync());
        Assert.Matches(TotalIs("4"), await change.Locator("td").Nth(5).InnerTextAsync());

        // The dashboard: the housing bureau alone has a rate, one registered of four.
        await office.GotoAsync("/dashboard");
        var rate = office.Locator("[data-test=registration-rate] [data-test=figure-link]");
        Assert.Equal(1, await rate.CountAsync());
        Assert.Contains("滨江区住房和城乡建设局", await rate.TextContentAsync(), StringComparison.Ordinal);
        var value = await rate.GetAttributeAsync("data-value");
        Assert.StartsWith("1/4", value, StringComparison.Ordinal);
        Assert.Contains("25", value, StringComparison.Ordinal);
        Assert.Equal(0, await office.Locator("[data-test=no-unit-totals]").CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(office, "dashboard with a registration rate");

        // The rate links to the roster of that unit: its one registered member.
        await rate.Locator("text").First.ClickAsync(); // the unit's name, as a person clicks it
        await WaitForAsync(office, new Regex($"/in-service/office\\?unit={HousingBureau}$"));
        Assert.Equal(HousingBureau, await office.InputValueAsync("[data-test=roster-filter] input[name=unit]"));
        Assert.Equal(["周立新"], await RosterNamesAsync(office));
        await Accessibility.AssertNoSeriousViolationsAsync(office, "roster filtered by unit");
        Assert.Empty(browser.PolicyViolations);
    }

    [Fact]
    public async Task The_confirmed_hours_of_each_month_link_to_the_roster_of_the_members_who_served_that_month()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start(SeedsYear());

        // The office confirms 叶楠's seeded claim: two hours served today, in December.
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        await office.GotoAsync("/in-service/office");
        var claim = office.Locator("[data-test=claim]", new() { HasText = "元旦前夜治安巡逻" });
        Assert.Equal("2026-12-05", await claim.Locator("[data-test=served-on]").InputValueAsync());
        await claim.Locator("[data-test=hours]").FillAsync("2");
        await claim.Locator("[data-test=confirm-served]").ClickAsync();
        await office.WaitForSelectorAsync("[data-test=notice]");

        await office.GotoAsync("/dashboard");
        await office.WaitForSelectorAsync("[data-test=hours-per-month]");
        Assert.Equal(12, await office.Locator("[data-test=hours-per-month] [data-test=figure-link]").CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(office, "dashboard with hours per month");

        // December: the confirmation just made. March: the seeds' policy outreach (3 h and 2 h). January: nobody.
        await AssertMonthAsync(office, "2026-12", "2 小时", ["叶楠"]);
        await AssertMonthAsync(office, "2026-03", "5 小时", ["方晓", "黄思远"]);
        await AssertMonthAsync(office, "2026-01", "0 小时", []);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "roster filtered by month");
        Assert.Empty(browser.PolicyViolations);
    }

    /// <summary>On the dashboard, the month's bar reads <paramref name="hours"/>; its link opens the roster of exactly <paramref name="members"/>.</summary>
    private static async Task AssertMonthAsync(IPage office, string month, string hours, string[] members)
    {
        await office.GotoAsync("/dashboard");
        var bar = office.Locator($"[data-test=hours-per-month] [data-test=figure-link][href='/in-service/office?month={month}']");
        Assert.Equal(1, await bar.CountAsync());
        Assert.Equal(hours, await bar.GetAttributeAsync("data-value"));
        Assert.Contains(month, await bar.TextContentAsync(), StringComparison.Ordinal);
        await bar.Locator("text").First.ClickAsync(); // the month's label, as a person clicks it
        await WaitForAsync(office, new Regex($"/in-service/office\\?month={month}$"));
        Assert.Equal(month, await office.InputValueAsync("[data-test=roster-filter] input[name=month]"));
        Assert.Equal(members, await RosterNamesAsync(office));
    }

    /// <summary>Waits for the link's page; a click that went elsewhere fails at once with where it went.</summary>
    private static async Task WaitForAsync(IPage page, Regex url)
    {
        try
        {
            await page.WaitForURLAsync(url);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Expected {url}, the page is {page.Url}", e);
        }
    }

    private static async Task<string[]> RosterNamesAsync(IPage page)
    {
        var names = await page.Locator("[data-test=roster-row] td:first-child").AllInnerTextsAsync();
        return [.. names.Select(n => n.Trim()).Order(StringComparer.Ordinal)];
    }

    private static Regex TotalIs(string value) => new($"(?i)\"inServiceMembers\"\\s*:\\s*{value}\\b");
}
