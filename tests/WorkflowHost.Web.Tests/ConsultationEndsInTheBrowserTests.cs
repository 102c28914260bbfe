using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// How a consultation ends other than with consent, in a real browser and in Chinese, pages only: the office returns the
/// file, the unit corrects it in the prefilled form and then withdraws it; and a ballot nobody finishes, urged by the
/// office, closed by the secretary after its deadline (no quorum) and ended with no consent. Consent is
/// ConsultationInTheBrowserTests.
/// </summary>
public sealed class ConsultationEndsInTheBrowserTests
{
    private const string Password = "Binhe-Demo-2026";

    private static async Task<IPage> SignedInAsync(Browser browser, Uri address, string person, bool phone = false)
    {
        var page = await browser.NewPageAsync(address, phone);
        await page.GotoAsync("/account/login");
        await page.FillAsync("#userName", person);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Regex("/inbox$"));
        return page;
    }

    /// <summary>The housing bureau's liaison submits a promotion consultation from its form; returns the instance page's path.</summary>
    private static async Task<string> SubmitAsync(IPage liaison, DateTimeOffset today)
    {
        await liaison.GotoAsync("/submit/promotion-consultation");
        await liaison.SelectOptionAsync("#f-kind", "promotion");
        await liaison.FillAsync("#f-nomineeName", "周立新");
        await liaison.FillAsync("#f-nomineePost", "科长");
        await liaison.SelectOptionAsync("#f-partyMembership", "full-member");
        await liaison.FillAsync("#f-reason", "工作扎实，积极参加社区志愿服务。");
        await liaison.FillAsync("#f-replyNeededBy", today.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await liaison.ClickAsync("[data-test=submit]");
        await liaison.WaitForSelectorAsync("[data-test=submitted]");
        return new Uri(liaison.Url).AbsolutePath;
    }

    /// <summary>Opens the instance's open step from the instance page, as anyone who may act on it does.</summary>
    private static async Task OpenCurrentStepAsync(IPage page, string instanceUrl)
    {
        await page.GotoAsync(instanceUrl);
        await page.ClickAsync("main ul li a[href^='/work/']");
        await page.WaitForURLAsync(new Regex("/work/"));
    }

    private static async Task CompleteAsync(IPage page, string outcome, string? comment = null)
    {
        await page.CheckAsync($"input[name=outcome][value={outcome}]");
        if (comment is not null)
        {
            await page.FillAsync("#task-comment", comment);
        }

        await page.ClickAsync("[data-test=complete]");
        await page.WaitForSelectorAsync("[data-test=saved]");
    }

    [Fact]
    public async Task The_office_returns_the_file_the_unit_corrects_it_in_the_prefilled_form_and_then_withdraws_it()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var liaison = await SignedInAsync(browser, host.Address, "p-liaison-gao");
        var instanceUrl = await SubmitAsync(liaison, TimeProvider.System.GetUtcNow());

        var office = await SignedInAsync(browser, host.Address, "p-office-xie");
        await OpenCurrentStepAsync(office, instanceUrl);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "office-check");
        await CompleteAsync(office, "return", "请补充人选近三年社区服务情况。");

        // The unit's task: the file as submitted, the office's comment above it.
        await OpenCurrentStepAsync(liaison, instanceUrl);
        await liaison.WaitForSelectorAsync("[data-test=amend-fields]");
        Assert.Equal("工作扎实，积极参加社区志愿服务。", await liaison.InputValueAsync("#f-input-reason"));
        Assert.Equal("周立新", await liaison.InputValueAsync("#f-input-nomineeName"));
        Assert.Contains("请补充人选近三年社区服务情况。", await liaison.InnerTextAsync("[data-test=return-comment]"));
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "amend");
        await Browser.ScreenshotAsync(liaison, "amend.zh");
        await liaison.FillAsync("#f-input-reason", "工作扎实，近三年参加社区志愿服务 40 余次。");
        await CompleteAsync(liaison, "resubmit");

        // The office sees what changed, field by field.
        await office.GotoAsync(instanceUrl);
        var amendment = await office.InnerTextAsync("[data-test=amendment]");
        Assert.Contains("推荐理由", amendment);
        Assert.Contains("工作扎实，积极参加社区志愿服务。", amendment);
        Assert.Contains("近三年参加社区志愿服务 40 余次", amendment);
        Assert.DoesNotContain("人选姓名", amendment);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "instance-amended");
        await Browser.ScreenshotAsync(office, "instance-amended.zh");

        // Before any decision the unit withdraws it, with the reason.
        await liaison.GotoAsync(instanceUrl);
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "instance-withdraw");
        await liaison.FillAsync("#withdraw-reason", "人选已调离本单位。");
        await liaison.ClickAsync("[data-test=withdraw]");
        await liaison.WaitForSelectorAsync("[data-test=status]:has-text('已撤回')");
        Assert.Equal(0, await liaison.Locator("[data-test=withdraw-form]").CountAsync());
        Assert.Empty(browser.PolicyViolations);
    }

    [Fact]
    public async Task A_ballot_left_unfinished_is_urged_closed_by_the_secretary_after_its_deadline_and_ends_with_no_consent()
    {
        // The host's clock, so the five working days of the ballot can pass; it starts at the real time.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start(time);

        var liaison = await SignedInAsync(browser, host.Address, "p-liaison-gao");
        var instanceUrl = await SubmitAsync(liaison, time.GetUtcNow());
        var office = await SignedInAsync(browser, host.Address, "p-office-xie");
        await OpenCurrentStepAsync(office, instanceUrl);
        Assert.Contains("社区邻里节", await office.InnerTextAsync("[data-test=community-record]"));
        await CompleteAsync(office, "accept");

        // One member votes, on a phone; the ballot page shows the nominee's community record readably.
        var member = await SignedInAsync(browser, host.Address, "p-member-li", phone: true);
        await member.ClickAsync("[data-test=inbox-item] a");
        await member.WaitForSelectorAsync("[data-test=community-record]");
        var width = await member.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"The ballot page is {width}px wide on a 390px phone.");
        await Accessibility.AssertNoSeriousViolationsAsync(member, "ballot-phone");
        await Browser.ScreenshotAsync(member, "ballot-record-phone.zh");
        await member.CheckAsync("input[name=choice][value=consent]");
        await member.ClickAsync("[data-test=cast-vote]");
        await member.WaitForSelectorAsync("[data-test=voted]");

        // The office urges the others; a second urge the same day is refused.
        await OpenCurrentStepAsync(office, instanceUrl);
        await office.ClickAsync("[data-test=urge]");
        await office.WaitForSelectorAsync("[data-test=urged]");
        await office.ClickAsync("[data-test=urge]");
        Assert.Contains("今天已催办过", await office.InnerTextAsync("[data-test=error]"));
        await Accessibility.AssertNoSeriousViolationsAsync(office, "ballot-urged");

        // Two weeks on, the ballot is overdue with one vote: the secretary closes it, with a reason. No quorum.
        time.Advance(TimeSpan.FromDays(14));
        var secretary = await SignedInAsync(browser, host.Address, "p-secretary-wang");
        await OpenCurrentStepAsync(secretary, instanceUrl);
        await secretary.FillAsync("#close-reason", "表决已逾期，仅一名委员表决。");
        await Accessibility.AssertNoSeriousViolationsAsync(secretary, "ballot-overdue");
        await Browser.ScreenshotAsync(secretary, "ballot-overdue.zh");
        await secretary.ClickAsync("[data-test=close-ballot]");
        await secretary.WaitForSelectorAsync("[data-test=saved]");
        Assert.Contains("未达到法定人数", await secretary.InnerTextAsync("main"));

        // The secretary's review: close, and the reply says no consent.
        await OpenCurrentStepAsync(secretary, instanceUrl);
        await Accessibility.AssertNoSeriousViolationsAsync(secretary, "no-quorum-review");
        await CompleteAsync(secretary, "close", "逾期未达法定人数，出具不同意回执。");
        var unit = await SignedInAsync(browser, host.Address, "p-liaison-gao");
        await unit.GotoAsync(instanceUrl);
        Assert.Equal("不同意", await unit.InnerTextAsync("[data-test=result]"));
        await unit.WaitForSelectorAsync("[data-test=reply]");
        await Accessibility.AssertNoSeriousViolationsAsync(unit, "instance-no-consent");
        Assert.Empty(browser.PolicyViolations);
    }
}
