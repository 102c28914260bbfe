using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// Taking back what was given (decision 139) in a real browser, pages only, in Chinese, everyone signed in for real, axe on
/// each new page: the housing bureau's liaison copies a member and withdraws the copy, and the member loses the case from
/// 抄送我的, finds the old link's page saying the copy was taken back, and is told why; the liaison delegates the amendment to a colleague of the unit, who hands it back, and then
/// ends the colleague's reading, who is told and gets "not found"; the office removes a wrong tick from an activity, and
/// the member's own page, the roster and the sheet stop counting it while the member is told why.
/// </summary>
public sealed partial class WithdrawalsInTheBrowserTests
{
    private const string Copied = "p-member-zhang";       // 张敏: no access to the unit's case but the copy
    private const string Colleague = "p-member-liu";      // of the housing bureau, not a liaison: reads only what he prepares
    private const string Member = "p-inservice-zhou";     // 周立新, a registered in-service member of the housing bureau

    [Fact]
    public async Task A_copy_is_withdrawn_and_a_delegates_reading_ended_on_the_case_page_and_each_person_loses_the_case_and_is_told()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var liaison = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(liaison, "p-liaison-gao");
        var instanceUrl = await SubmitAsync(liaison);

        // The unit copies Zhang, who finds the case under 抄送我的.
        await liaison.CheckAsync($"[data-test=copy-form] input[name=to][value={Copied}]");
        await liaison.FillAsync("#copy-note", "请知悉。");
        await liaison.ClickAsync("[data-test=copy]");
        await liaison.WaitForSelectorAsync("[data-test=copies]");
        var zhang = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(zhang, Copied);
        Assert.Equal(1, await CopiedToMeAsync(zhang));

        // The unit withdraws the copy with a reason; the page lists it as taken back and offers it no more.
        var copyRow = liaison.Locator($"[data-test=reader-row][data-kind=copy][data-person={Copied}]");
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "instance with a copy to withdraw");
        await copyRow.Locator("[data-test=withdrawal-reason]").FillAsync("抄送对象选错。");
        await copyRow.Locator("[data-test=withdraw-copy]").ClickAsync();
        await liaison.WaitForSelectorAsync("[data-test=withdrawals]");
        var takenBack = await liaison.InnerTextAsync("[data-test=withdrawals]");
        Assert.Contains("张敏", takenBack, StringComparison.Ordinal);
        Assert.Contains("抄送对象选错。", takenBack, StringComparison.Ordinal);
        Assert.Equal(0, await copyRow.CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "instance with a withdrawn copy");

        // Zhang: 抄送我的 is empty, the case is not found, and the notice says why, with no link to the case.
        Assert.Equal(0, await CopiedToMeAsync(zhang));
        Assert.Equal(404, (await zhang.GotoAsync(instanceUrl))!.Status);
        // The old link's page says the copy was taken back and when, shows nothing of the case, and leads to the notice.
        Assert.Contains("的抄送已于", await zhang.InnerTextAsync("[data-test=taken-back]"), StringComparison.Ordinal);
        Assert.DoesNotContain("林海", await zhang.InnerTextAsync("main"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(zhang, "a withdrawn copy's old link");
        await zhang.ClickAsync("main [data-test=notifications]");
        await zhang.WaitForURLAsync(NotificationsPage());
        var copyNotice = await NoticeAsync(zhang, "【撤回抄送】");
        Assert.Contains("抄送对象选错。", await copyNotice.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await copyNotice.Locator($"a[href='{instanceUrl}']").CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(zhang, "notifications with a withdrawn copy");

        // The office returns the file; the unit delegates the amendment to Liu, who prepares it and hands it back.
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        await OpenCurrentStepAsync(office, instanceUrl);
        await office.CheckAsync("input[name=outcome][value=return]");
        await office.FillAsync("#task-comment", "请补充考察材料。");
        await office.ClickAsync("[data-test=complete]");
        await office.WaitForSelectorAsync("[data-test=saved]");
        await OpenCurrentStepAsync(liaison, instanceUrl);
        var amendUrl = new Uri(liaison.Url).PathAndQuery;
        await liaison.SelectOptionAsync("#delegate-to", Colleague);
        await liaison.FillAsync("#delegate-note", "请先整理考察材料。");
        await liaison.ClickAsync("[data-test=delegate]");
        await liaison.WaitForSelectorAsync("[data-test=saved]");
        var liu = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(liu, Colleague);
        await liu.GotoAsync(amendUrl);
        await liu.FillAsync("#return-note", "考察材料已整理。");
        await liu.ClickAsync("[data-test=return]");
        await liu.WaitForSelectorAsync("[data-test=saved]");
        Assert.Equal(200, (await liu.GotoAsync(instanceUrl))!.Status);

        // Back with the unit, Liu's reading is offered to end; the unit ends it with a reason.
        await liaison.GotoAsync(instanceUrl);
        var readingRow = liaison.Locator($"[data-test=reader-row][data-kind=reading][data-person={Colleague}]");
        await readingRow.Locator("[data-test=withdrawal-reason]").FillAsync("材料已交回，无需再查阅。");
        await readingRow.Locator("[data-test=end-reading]").ClickAsync();
        await liaison.WaitForSelectorAsync("[data-test=withdrawals] >> text=材料已交回，无需再查阅。");
        Assert.Equal(0, await readingRow.CountAsync());
        Assert.Equal(2, await liaison.Locator("[data-test=withdrawals] tbody tr").CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "instance with a delegate's reading ended");

        // Liu: the case is not found any more, and the notice says why.
        Assert.Equal(404, (await liu.GotoAsync(instanceUrl))!.Status);
        var readingNotice = await NoticeAsync(liu, "【结束查阅】");
        Assert.Contains("材料已交回，无需再查阅。", await readingNotice.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(browser.PolicyViolations);
    }

    [Fact]
    public async Task The_office_removes_a_wrong_tick_and_the_sheet_the_roster_and_the_members_page_stop_counting_it()
    {
        // The host's clock in the seeds' year, so the activity counts in the roster's year.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start(time);
        const string Title = "冬季社区清扫";

        var school = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(school, "p-liaison-han");
        await school.GotoAsync("/submit/activity-co-organisation");
        await school.FillAsync("#f-title", Title);
        await school.FillAsync("#f-date", "2026-12-08");
        await school.FillAsync("#f-startTime", "09:00");
        await school.FillAsync("#f-endTime", "11:00");
        await school.FillAsync("#f-place", "社区文化广场");
        await school.FillAsync("#f-description", "清扫楼道与绿地。");
        await school.FillAsync("#f-budget", "500");
        await school.ClickAsync("[data-test=submit]");
        await school.WaitForSelectorAsync("[data-test=submitted]");

        // The office ticks Zhou present on the activity's sheet; the roster counts it.
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        var before = await RosterActivitiesAsync(office);
        await office.GotoAsync("/in-service/activities");
        await office.ClickAsync($"[data-test=activity] a:has-text('{Title}')");
        await office.WaitForSelectorAsync("[data-test=attendance-form]");
        var sheetUrl = new Uri(office.Url).AbsolutePath;
        await office.CheckAsync($"[data-test=attendance-row][data-person={Member}] [data-test=present]");
        await office.ClickAsync("[data-test=save-attendance]");
        await office.WaitForSelectorAsync($"[data-test=counted-entry][data-person={Member}]");
        Assert.Equal(before + 1, await RosterActivitiesAsync(office));
        var zhou = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(zhou, Member);
        await zhou.GotoAsync("/in-service");
        Assert.Contains(Title, await zhou.InnerTextAsync("[data-test=my-activities]"), StringComparison.Ordinal);

        // The tick was wrong: the office removes it with a reason; the sheet lists it as removed, no longer counted.
        await office.GotoAsync(sheetUrl);
        var entry = office.Locator($"[data-test=counted-entry][data-person={Member}]");
        await entry.Locator("[data-test=remove-reason]").FillAsync("勾错了人。");
        await entry.Locator("[data-test=remove-attendance]").ClickAsync();
        await office.WaitForSelectorAsync($"[data-test=removed-entry][data-person={Member}]");
        Assert.Contains("勾错了人。", await office.InnerTextAsync($"[data-test=removed-entry][data-person={Member}]"), StringComparison.Ordinal);
        Assert.Equal(0, await entry.CountAsync());
        Assert.Equal("", (await office.InnerTextAsync($"[data-test=attendance-row][data-person={Member}] [data-test=counted-by]")).Trim());
        await Accessibility.AssertNoSeriousViolationsAsync(office, "activity with a removed entry");
        Assert.Equal(before, await RosterActivitiesAsync(office));

        // Zhou's own page no longer lists it, and the notice says why.
        await zhou.GotoAsync("/in-service");
        Assert.DoesNotContain(Title, await zhou.InnerTextAsync("main"), StringComparison.Ordinal);
        var notice = await NoticeAsync(zhou, Title);
        var text = await notice.InnerTextAsync();
        Assert.Contains(Title, text, StringComparison.Ordinal);
        Assert.Contains("勾错了人。", text, StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(zhou, "notifications with a removed entry");
        Assert.Empty(browser.PolicyViolations);
    }

    /// <summary>How many cases the reader's 抄送我的 tab lists.</summary>
    private static async Task<int> CopiedToMeAsync(IPage page)
    {
        await page.GotoAsync("/inbox");
        await page.ClickAsync("[data-test=copied-tab]");
        await page.WaitForURLAsync(CopiedTab());
        return await page.Locator("[data-test=copied-item]").CountAsync();
    }

    /// <summary>The reader's one notification whose text has <paramref name="text"/>, from their notifications page.</summary>
    private static async Task<ILocator> NoticeAsync(IPage page, string text)
    {
        await page.GotoAsync("/notifications");
        var notice = page.Locator("[data-test=notification]", new() { HasText = text });
        Assert.Equal(1, await notice.CountAsync());
        return notice;
    }

    /// <summary>Zhou's count of activities this year on the office's roster.</summary>
    private static async Task<int> RosterActivitiesAsync(IPage office)
    {
        await office.GotoAsync("/in-service/office");
        var row = office.Locator("[data-test=roster-row]", new() { HasText = "周立新" });
        return int.Parse((await row.Locator("[data-test=roster-activities]").InnerTextAsync()).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task OpenCurrentStepAsync(IPage page, string instanceUrl)
    {
        await page.GotoAsync(instanceUrl);
        await page.ClickAsync("main ul li a[href^='/work/']");
        await page.WaitForURLAsync(WorkPage());
    }

    /// <summary>The housing bureau's liaison submits a promotion consultation; returns the instance page's path.</summary>
    private static async Task<string> SubmitAsync(IPage liaison)
    {
        await liaison.GotoAsync("/submit/promotion-consultation");
        await liaison.SelectOptionAsync("#f-kind", "promotion");
        await liaison.FillAsync("#f-nomineeName", "林海");
        await liaison.FillAsync("#f-nomineePost", "综合科副科长");
        await liaison.SelectOptionAsync("#f-partyMembership", "full-member");
        await liaison.FillAsync("#f-reason", "敢于担当，在社区防汛中表现突出。");
        await liaison.FillAsync("#f-replyNeededBy", SignIn.Today(40));
        await liaison.ClickAsync("[data-test=submit]");
        await liaison.WaitForSelectorAsync("[data-test=submitted]");
        return new Uri(liaison.Url).AbsolutePath;
    }

    [GeneratedRegex("/work/")]
    private static partial Regex WorkPage();

    [GeneratedRegex("/notifications$")]
    private static partial Regex NotificationsPage();

    [GeneratedRegex("tab=copied")]
    private static partial Regex CopiedTab();
}
