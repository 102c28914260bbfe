using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// A joint affairs item (事务共商) in a real browser, pages only, in Chinese: a school proposes it, the office puts it on a
/// meeting's agenda, the secretary records the meeting (first refused without an attestation), the split vote is
/// deferred and voted again (复议), the resolution issues numbered minutes with two follow-up actions, the secretary
/// extends one action's deadline, and both units report.
/// </summary>
public sealed class JointAffairsInTheBrowserTests
{
    /// <summary>Everyone on the ballot of an item from the school (冯兰 p-member-feng is from it, and recused).</summary>
    private static readonly string[] Voters =
    [
        "p-member-chen", "p-member-he", "p-member-li", "p-member-lin", "p-member-liu", "p-member-sun", "p-member-wu",
        "p-member-xu", "p-member-zhang", "p-member-zhao", "p-member-zheng", "p-member-zhou", "p-secretary-wang",
    ];

    [Fact]
    public async Task An_item_is_scheduled_voted_at_a_meeting_revoted_minuted_and_its_follow_ups_reported()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        // The school's liaison proposes the item.
        var school = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(school, "p-liaison-han");
        await school.GotoAsync("/submit/joint-affairs-discussion");
        await Accessibility.AssertNoSeriousViolationsAsync(school, "submit-joint-affairs");
        await school.FillAsync("#f-title", "新华路小学周边上下学时段交通秩序");
        await school.SelectOptionAsync("#f-category", "community-management");
        await school.FillAsync("#f-description", "上下学时段校门口车辆拥堵，存在安全隐患。");
        await school.ClickAsync("[data-test=submit]");
        await school.WaitForSelectorAsync("[data-test=submitted]");
        var instanceUrl = new Uri(school.Url).AbsolutePath;

        // The office places it on today's committee meeting, open ballot.
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        await office.ClickAsync("[data-test=inbox-item] a");
        await office.CheckAsync("input[name=outcome][value=schedule]");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "place-on-agenda");
        await office.SelectOptionAsync("#f-data-format", "meeting");
        await office.FillAsync("#f-data-meetingDate", SignIn.Today());
        await office.FillAsync("#f-data-place", "社区党群服务中心");
        await office.ClickAsync("[data-test=complete]");
        await office.WaitForSelectorAsync("[data-test=saved]");

        // The secretary records the meeting: without an attestation nothing is stored and the field is marked.
        var secretary = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(secretary, "p-secretary-wang");
        await RecordMeetingAsync(secretary, instanceUrl, consent: 7, attestation: null);
        Assert.Contains("此项为必填项", await secretary.InnerTextAsync("#attestation-error"));
        Assert.Equal("consent", await secretary.InputValueAsync("#vote-p-member-chen")); // what was chosen is kept
        await Accessibility.AssertNoSeriousViolationsAsync(secretary, "meeting-record-refused");
        await Browser.ScreenshotAsync(secretary, "meeting-record-refused.zh");
        await RecordMeetingAsync(secretary, instanceUrl, consent: 7, attestation: "今日党委会现场举手表决");

        // 7 to 6 is a margin of one: the secretary defers it and the committee votes again today (复议).
        await OpenCurrentStepAsync(secretary, instanceUrl, "书记决定");
        await secretary.CheckAsync("input[name=outcome][value=defer]");
        await secretary.FillAsync("#f-data-revoteOn", SignIn.Today());
        await secretary.FillAsync("#f-data-reason", "分歧较大，会后再征求意见。");
        await Accessibility.AssertNoSeriousViolationsAsync(secretary, "secretary-review");
        await secretary.ClickAsync("[data-test=complete]");
        await secretary.WaitForSelectorAsync("[data-test=saved]");
        await RecordMeetingAsync(secretary, instanceUrl, consent: Voters.Length, attestation: "复议：今日党委会现场举手表决");

        // The resolution with two follow-up actions issues the minutes.
        await OpenCurrentStepAsync(secretary, instanceUrl, "书记记录决议");
        await secretary.CheckAsync("input[name=outcome][value=record]");
        await secretary.FillAsync("#f-data-resolution", "同意在上下学时段实施交通疏导。");
        await secretary.FillAsync("#f-data-actions-0-unit", "unit-xinhua-police-station");
        await secretary.FillAsync("#f-data-actions-0-description", "上下学时段增派警力");
        await secretary.FillAsync("#f-data-actions-0-dueDate", SignIn.Today(14));
        await secretary.FillAsync("#f-data-actions-1-unit", "unit-district-library");
        await secretary.FillAsync("#f-data-actions-1-description", "开放家长等候区");
        await secretary.FillAsync("#f-data-actions-1-dueDate", SignIn.Today(14));
        await secretary.ClickAsync("[data-test=complete]");
        await SavedAsync(secretary);

        await secretary.GotoAsync(instanceUrl);
        await Accessibility.AssertNoSeriousViolationsAsync(secretary, "instance-follow-ups");
        Assert.Equal(2, await secretary.Locator("[data-test=follow-up]").CountAsync());
        await secretary.ClickAsync("[data-test=open-document]");
        await secretary.WaitForSelectorAsync("[data-test=document][data-kind=minutes]");
        Assert.StartsWith("JY-", await secretary.InnerTextAsync("[data-test=document-number]"));
        Assert.Equal(2, await secretary.Locator("[data-test=rounds] li").CountAsync()); // both rounds stay in the minutes
        Assert.Contains("开放家长等候区", await secretary.InnerTextAsync("[data-test=actions]"));
        await Accessibility.AssertNoSeriousViolationsAsync(secretary, "minutes");
        await Browser.ScreenshotAsync(secretary, "minutes.zh");

        // The library's action gets five more working days.
        await secretary.GotoAsync(instanceUrl);
        var before = await secretary.InnerTextAsync("[data-test=follow-up]:nth-child(2) td:nth-child(3)");
        await secretary.ClickAsync("[data-test=follow-up]:nth-child(2) [data-test=follow-up-link]");
        await secretary.ClickAsync("[data-test=extend-link]");
        await Accessibility.AssertNoSeriousViolationsAsync(secretary, "item-deadline");
        await secretary.FillAsync("#f-days", "5");
        await secretary.FillAsync("#f-reason", "需与区图书馆协调场地。");
        await secretary.ClickAsync("[data-test=extend]");
        await secretary.WaitForSelectorAsync("[data-test=saved]");
        Assert.NotEqual(before, await secretary.InnerTextAsync("[data-test=due]"));

        // Each unit reports on its action from its inbox.
        foreach (var (liaison, report) in new[] { ("p-liaison-ma", "每天上下学时段两名警力值守。"), ("p-liaison-dong", "图书馆一楼开放为家长等候区。") })
        {
            var unit = await browser.NewPageAsync(host.Address);
            await SignIn.AsAsync(unit, liaison);
            await unit.ClickAsync("[data-test=inbox-item] a");
            await unit.CheckAsync("input[name=outcome][value=done]");
            await unit.FillAsync("#f-data-report", report);
            await Accessibility.AssertNoSeriousViolationsAsync(unit, "follow-up-report");
            await unit.ClickAsync("[data-test=complete]");
            await unit.WaitForSelectorAsync("[data-test=saved]");
            await unit.Context.CloseAsync();
        }

        await secretary.GotoAsync(instanceUrl);
        Assert.Equal(["马骏", "董晨"], await secretary.Locator("[data-test=reported-by]").AllInnerTextsAsync());
        Assert.Equal("已完成", await secretary.InnerTextAsync("[data-test=status]"));
        await Browser.ScreenshotAsync(secretary, "joint-affairs-completed.zh");
        Assert.Empty(browser.PolicyViolations);
    }

    /// <summary>From the instance to its open ballot and the meeting record page; every voter present, the first <paramref name="consent"/> consenting.</summary>
    private static async Task RecordMeetingAsync(IPage secretary, string instanceUrl, int consent, string? attestation)
    {
        if (!secretary.Url.Contains("/meeting", StringComparison.Ordinal))
        {
            await OpenCurrentStepAsync(secretary, instanceUrl, "党委委员表决");
            await secretary.ClickAsync("[data-test=meeting-record-link]");
            await Accessibility.AssertNoSeriousViolationsAsync(secretary, "meeting-record");
        }

        for (var i = 0; i < Voters.Length; i++)
        {
            await secretary.CheckAsync($"#present-{Voters[i]}");
            await secretary.SelectOptionAsync($"#vote-{Voters[i]}", i < consent ? "consent" : "object");
        }

        if (attestation is not null)
        {
            await secretary.FillAsync("#attestation", attestation);
        }

        await secretary.ClickAsync("[data-test=save-meeting]");
        await secretary.WaitForSelectorAsync(attestation is null ? "[data-test=error]" : "[data-test=saved]");
    }

    /// <summary>Waits for the page to say it saved; a refusal fails at once with what the page says, not after a timeout.</summary>
    private static async Task SavedAsync(IPage page)
    {
        await page.WaitForSelectorAsync("[data-test=saved], [data-test=error]");
        if (await page.Locator("[data-test=error]").CountAsync() > 0)
        {
            var errors = string.Join(" | ", await page.Locator("[data-test=error], [data-test=field-error]").AllInnerTextsAsync());
            Assert.Fail($"{page.Url} refused: {errors}");
        }
    }

    private static async Task OpenCurrentStepAsync(IPage page, string instanceUrl, string stepName)
    {
        await page.GotoAsync(instanceUrl);
        await page.ClickAsync($"main ul li a[href^='/work/']:has-text('{stepName}')");
        await page.WaitForSelectorAsync("h1");
    }
}
