using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// 在职党员进社区 in a real browser, in Chinese: a member registers at phone width, the office confirms it from the inbox
/// and publishes a post, the member claims it, the office confirms the hours; then the member's unit submits a consultation
/// on them and the ballot page shows their record with those hours. axe-core on every page visited.
/// </summary>
public sealed partial class InServiceInTheBrowserTests
{
    private const string Member = "p-inservice-zhou";     // works at the housing bureau, registered in the seeds
    private const string Office = "p-office-xie";
    private const string Liaison = "p-liaison-gao";       // the housing bureau's liaison

    [Fact]
    public async Task A_member_registers_claims_a_post_the_office_confirms_the_hours_and_the_ballot_shows_them()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        // The member registers again (they moved), on a phone.
        var member = await browser.NewPageAsync(host.Address, phone: true);
        await SignIn.AsAsync(member, Member);
        await member.ClickAsync("[data-test=nav-in-service]");
        await member.WaitForSelectorAsync("[data-test=registered]");
        await Accessibility.AssertNoSeriousViolationsAsync(member, "in-service member");
        await member.ClickAsync("[data-test=register]");
        await member.SelectOptionAsync("#f-unit", "unit-housing-bureau");
        await member.FillAsync("#f-branch", "住建局机关第二党支部");
        await member.FillAsync("#f-phone", "13800001234");
        await member.FillAsync("#f-residence", "滨河社区 锦江花园 5 栋");
        await Accessibility.AssertNoSeriousViolationsAsync(member, "in-service registration form");
        await member.ClickAsync("[data-test=submit]");
        await SubmittedAsync(member);
        await member.GotoAsync("/in-service");
        await member.WaitForSelectorAsync("[data-test=pending]");

        // The office confirms the registration from its inbox.
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, Office);
        await office.ClickAsync("[data-test=inbox-item] a");
        await office.CheckAsync("input[name=outcome][value=confirm]");
        await office.ClickAsync("[data-test=complete]");
        await office.WaitForSelectorAsync("[data-test=saved]");

        // The office publishes a patrol post with one place.
        await office.ClickAsync("[data-test=nav-in-service-office]");
        await office.WaitForSelectorAsync("[data-test=publish-form]");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "in-service office");
        await office.SelectOptionAsync("[data-test=offer-kind]", "post");
        await office.SelectOptionAsync("[data-test=offer-category]", "safety-patrol");
        await office.FillAsync("[data-test=offer-title]", "周末夜间治安巡逻");
        await office.FillAsync("[data-test=offer-places]", "1");
        await office.FillAsync("[data-test=offer-due]", SignIn.Today(7));
        await office.ClickAsync("[data-test=publish]");
        await office.WaitForSelectorAsync("[data-test=notice]");

        // The member, now registered today, claims it.
        await member.GotoAsync("/in-service");
        Assert.Contains(SignIn.Today(), await member.InnerTextAsync("[data-test=registered]"), StringComparison.Ordinal);
        await member.ClickAsync("[data-test=offer]:has-text('周末夜间治安巡逻') [data-test=claim]");
        await member.WaitForSelectorAsync("[data-test=notice]");
        Assert.Contains("待完成", await member.InnerTextAsync("[data-test=my-claims]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(member, "in-service member with a claim");

        // The office confirms two and a half hours served today.
        await office.GotoAsync("/in-service/office");
        var claim = office.Locator("[data-test=claim]", new() { HasText = "周末夜间治安巡逻" });
        await claim.Locator("[data-test=hours]").FillAsync("2.5");
        await claim.Locator("[data-test=confirm-served]").ClickAsync();
        await office.WaitForSelectorAsync("[data-test=notice]");
        Assert.Contains("2.5 小时", await office.InnerTextAsync("[data-test=roster-row]:has-text('周立新')"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "in-service office roster");

        await member.GotoAsync("/in-service");
        Assert.Contains("2.5 小时", await member.InnerTextAsync("[data-test=hours-this-year]"), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(member, "in-service-member.zh");

        // The unit sees its member's hours, then submits a consultation on them.
        var liaison = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(liaison, Liaison);
        await liaison.ClickAsync("[data-test=nav-in-service-unit]");
        await liaison.WaitForSelectorAsync("[data-test=roster]");
        Assert.Contains("2.5 小时", await liaison.InnerTextAsync("[data-test=roster-row]:has-text('周立新')"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "in-service unit");
        await liaison.GotoAsync("/submit/promotion-consultation");
        await liaison.SelectOptionAsync("#f-kind", "award");
        await liaison.FillAsync("#f-nomineeName", "周立新");
        await liaison.FillAsync("#f-nomineePost", "科长");
        await liaison.SelectOptionAsync("#f-partyMembership", "full-member");
        await liaison.FillAsync("#f-reason", "积极参加社区治安巡逻。");
        await liaison.FillAsync("#f-replyNeededBy", SignIn.Today(40));
        await liaison.ClickAsync("[data-test=submit]");
        await SubmittedAsync(liaison);

        // The office accepts the file; a committee member's ballot page shows the record with the hours.
        await office.GotoAsync("/inbox");
        await office.ClickAsync("[data-test=inbox-item] a");
        Assert.Contains("2.5 小时", await office.InnerTextAsync("[data-test=record-hours]"), StringComparison.Ordinal);
        await office.CheckAsync("input[name=outcome][value=accept]");
        await office.ClickAsync("[data-test=complete]");
        await office.WaitForSelectorAsync("[data-test=saved]");

        var voter = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(voter, "p-member-li");
        await voter.ClickAsync("[data-test=inbox-item] a");
        await voter.WaitForSelectorAsync("[data-test=community-record]");
        Assert.Contains("2.5 小时", await voter.InnerTextAsync("[data-test=record-hours]"), StringComparison.Ordinal);
        Assert.Contains("周末夜间治安巡逻", await voter.InnerTextAsync("[data-test=record-posts]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(voter, "ballot with the community record");
        await Browser.ScreenshotAsync(voter, "ballot-community-record.zh");
    }

    /// <summary>Waits for the new instance's page; a form sent back with errors fails at once, saying which fields.</summary>
    private static async Task SubmittedAsync(IPage page)
    {
        await page.WaitForSelectorAsync("[data-test=submitted], [data-test=form-error], [data-test=refused]");
        if (await page.Locator("[data-test=submitted]").CountAsync() == 0)
        {
            Assert.Fail($"The form was not accepted at {page.Url}: {await page.InnerTextAsync("main")}");
        }
    }
}
