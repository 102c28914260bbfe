using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// 年度反馈 in a real browser: the year's review is opened (as the year-end job opens it), the office evaluates every member
/// on the review page and issues the letters; the housing bureau's liaison opens their unit's letter from the unit page.
/// axe-core on every page visited.
/// </summary>
public sealed class InServiceFeedbackInTheBrowserTests
{
    [Fact]
    public async Task The_office_evaluates_the_members_and_issues_the_letters_and_the_unit_liaison_opens_theirs()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();
        Assert.True(Assert.Single(await host.Services.GetRequiredService<AnnualFeedbackOpener>().OpenAsync(2026)).Opened);

        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        await office.GotoAsync("/in-service/office");
        await office.ClickAsync("[data-test=annual-review]");
        await office.WaitForSelectorAsync("[data-test=review-form]");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "annual review");
        var selects = office.Locator("[data-test=rating]");
        var count = await selects.CountAsync();
        Assert.Equal(6, count);
        for (var i = 0; i < count; i++)
        {
            await selects.Nth(i).SelectOptionAsync(i == 0 ? "excellent" : "competent");
        }

        await office.Locator("[data-test=comment]").First.FillAsync("全年坚持岗位服务");
        await office.ClickAsync("[data-test=issue-letters]");
        await office.WaitForSelectorAsync("[data-test=review-closed]");
        Assert.Equal(6, await office.Locator("[data-test=letter-link]").CountAsync());

        var liaison = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(liaison, "p-liaison-gao");
        await liaison.GotoAsync("/in-service/unit");
        await liaison.WaitForSelectorAsync("[data-test=unit-letters]");
        await liaison.Locator("[data-test=unit-letter] a").First.ClickAsync();
        await liaison.WaitForSelectorAsync("[data-test=feedback-letter]");
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "feedback letter");
        Assert.Contains("周立新", await liaison.InnerTextAsync("[data-test=letter-members]"), StringComparison.Ordinal);
    }
}
