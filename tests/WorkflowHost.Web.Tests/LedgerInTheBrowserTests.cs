using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MiniExcelLibs;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// The office keeps the ledger in a real browser: filters it, downloads the .xlsx and the test reads the file; a dashboard
/// figure's link lands on the ledger filtered to what it counts; the same in English; the co-building record and the
/// public verification page. axe-core on every page visited; screenshots in Chinese and English.
/// </summary>
public sealed partial class LedgerInTheBrowserTests
{
    private const string Password = "Binhe-Demo-2026";

    [Fact]
    public async Task The_office_filters_the_ledger_downloads_it_and_follows_a_dashboard_figure()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();
        var first = await SubmitAsync(host.Address, "浏览器台账甲", "award");
        var second = await SubmitAsync(host.Address, "浏览器台账乙", "promotion");

        var office = await browser.NewPageAsync(host.Address);
        await SignInAsync(office, "p-office-xie");
        await office.GotoAsync("/ledger");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "ledger");
        await Browser.ScreenshotAsync(office, "ledger.zh");

        // Filter by process and text; the form is a plain GET, so the filters are in the address.
        await office.SelectOptionAsync("#process", "promotion-consultation");
        await office.FillAsync("#q", "浏览器台账");
        await office.ClickAsync("[data-test=ledger-filters] button[type=submit]");
        await office.WaitForURLAsync(new Regex("q=%E6%B5%8F"));
        var ids = await office.EvalOnSelectorAllAsync<string[]>("[data-test=ledger-row]", "rows => rows.map(r => r.dataset.id)");
        Assert.Equal(new[] { first, second }.Select(g => g.ToString()).Order(), ids.Order());
        await Accessibility.AssertNoSeriousViolationsAsync(office, "ledger filtered");

        // The xlsx download holds the same cases, with the nominees' names.
        var download = await office.RunAndWaitForDownloadAsync(() => office.ClickAsync("[data-test=export-xlsx]"));
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var rows = MiniExcel.Query(await download.PathAsync(), useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(ids.Order(), rows.Select(r => r["事项编号"]?.ToString()!).Order());
        Assert.Equal(["浏览器台账乙", "浏览器台账甲"], rows.Select(r => r["事项"]?.ToString()!).Order());
        Assert.Contains("发文编号", rows[0].Keys); // replies and the review's feedback letters share the numbers column

        // A dashboard figure links to the ledger filtered to what it counts: this month's bar lands on this month's cases.
        await office.GotoAsync("/dashboard");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "dashboard");
        await Browser.ScreenshotAsync(office, "dashboard.zh");
        var bar = office.Locator("[data-test=by-month] a").Last;
        var count = await bar.GetAttributeAsync("data-value");
        await bar.ClickAsync();
        await office.WaitForURLAsync(new Regex(@"/ledger\?month=\d{4}-\d{2}$"));
        Assert.Equal($"共 {count} 项", await office.InnerTextAsync("[data-test=ledger-total]"));

        // The co-building record of the submitting unit.
        await office.GotoAsync("/co-building");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "co-building");
        await office.ClickAsync("[data-test=unit-row] a >> text=滨江区住房和城乡建设局");
        await office.WaitForSelectorAsync("[data-test=unit-cases]");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "co-building unit");
        await Browser.ScreenshotAsync(office, "co-building.zh");

        // In English: the ledger's headers and the dashboard speak English.
        await office.GotoAsync("/ledger?overdue=false");
        await office.ClickAsync("[data-test=language]");
        await office.WaitForSelectorAsync("html[lang=en]");
        Assert.Contains("cases", await office.InnerTextAsync("[data-test=ledger-total]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "ledger in English");
        await Browser.ScreenshotAsync(office, "ledger.en");
        await office.GotoAsync("/dashboard");
        await Browser.ScreenshotAsync(office, "dashboard.en");

        // The public verification page needs no sign-in.
        var public_ = await browser.NewPageAsync(host.Address);
        await public_.GotoAsync("/replies/verify");
        await Accessibility.AssertNoSeriousViolationsAsync(public_, "reply verification");
        await Browser.ScreenshotAsync(public_, "replies-verify.zh");
        Assert.Empty(browser.PolicyViolations);
    }

    private static async Task SignInAsync(IPage page, string person)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#userName", person);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Regex("/inbox$"));
    }

    /// <summary>A consultation submitted through the API by the housing bureau's liaison, signed in for real.</summary>
    private static async Task<Guid> SubmitAsync(Uri host, string nominee, string kind)
    {
        using var client = new HttpClient { BaseAddress = host };
        var token = await client.PostAsJsonAsync("/api/account/token", new { userName = "p-liaison-gao", password = Password });
        var accessToken = JsonNode.Parse(await token.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances")
        {
            Content = JsonContent.Create(new
            {
                process = "promotion-consultation",
                input = new Dictionary<string, string>
                {
                    ["kind"] = kind, ["nomineeName"] = nominee, ["nomineePost"] = "科长", ["partyMembership"] = "full-member",
                    ["reason"] = "工作扎实。", ["replyNeededBy"] = TimeProvider.System.GetUtcNow().AddDays(40).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                },
            }),
        };
        request.Headers.Authorization = new("Bearer", accessToken);
        var started = await client.SendAsync(request);
        var body = await started.Content.ReadAsStringAsync();
        Assert.True(started.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["instanceId"]!.GetValue<Guid>();
    }
}
