using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// 认领与转交 in a real browser, pages only and in Chinese: the office's Xie claims a consultation's check and her
/// colleague Lu sees who holds it; Xie transfers it to Lu with a reason; Lu completes it and the consultation reaches the
/// committee ballot. The instance page shows the holder and the history of moves. axe-core checks every page.
/// </summary>
public sealed partial class TaskMovesInTheBrowserTests
{
    private static async Task<string> SubmitAsync(IPage liaison)
    {
        await liaison.GotoAsync("/submit/promotion-consultation");
        await liaison.SelectOptionAsync("#f-kind", "promotion");
        await liaison.FillAsync("#f-nomineeName", "韩思远");
        await liaison.FillAsync("#f-nomineePost", "科长");
        await liaison.SelectOptionAsync("#f-partyMembership", "full-member");
        await liaison.FillAsync("#f-reason", "工作扎实，积极参加社区志愿服务。");
        await liaison.FillAsync("#f-replyNeededBy", TimeProvider.System.GetUtcNow().AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await liaison.ClickAsync("[data-test=submit]");
        await liaison.WaitForSelectorAsync("[data-test=submitted]");
        return new Uri(liaison.Url).AbsolutePath;
    }

    [Fact]
    public async Task The_office_claims_the_check_transfers_it_to_a_colleague_who_completes_it_and_the_ballot_opens()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var liaison = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(liaison, "p-liaison-gao");
        var instanceUrl = await SubmitAsync(liaison);
        var workUrl = $"/work/{instanceUrl["/instances/".Length..]}/office-check%231";

        // Xie opens the check from her inbox: it is not claimed yet; she claims it.
        var xie = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(xie, "p-office-xie");
        await xie.GotoAsync(workUrl);
        Assert.Equal("待认领", (await xie.InnerTextAsync("[data-test=holder]")).Trim());
        await Accessibility.AssertNoSeriousViolationsAsync(xie, "task before the claim");
        await xie.ClickAsync("[data-test=claim]");
        await xie.WaitForSelectorAsync("[data-test=saved]");
        Assert.Equal("办理人：谢婷", (await xie.InnerTextAsync("[data-test=holder]")).Trim());
        Assert.Equal(1, await xie.Locator("[data-test=complete]").CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(xie, "task held");

        // Lu sees who holds it, in the inbox and on the task, and can neither claim nor complete it.
        var lu = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(lu, "p-office-lu");
        Assert.Contains("办理人：谢婷", await lu.InnerTextAsync("[data-test=inbox]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(lu, "inbox with a held task");
        await lu.GotoAsync(workUrl);
        Assert.Equal(0, await lu.Locator("[data-test=claim]").CountAsync());
        Assert.Equal(0, await lu.Locator("[data-test=complete]").CountAsync());

        // Xie transfers it to Lu; a transfer without a reason is not sent.
        await xie.SelectOptionAsync("#transfer-to", "p-office-lu");
        Assert.True(await xie.EvalOnSelectorAsync<bool>("#transfer-reason", "e => e.required && !e.checkValidity()"), "A transfer without a reason is not sent.");
        await xie.FillAsync("#transfer-reason", "本人外出培训，请陆鹏审核。");
        await xie.ClickAsync("[data-test=transfer]");
        await xie.WaitForSelectorAsync("[data-test=saved]");
        Assert.Equal("办理人：陆鹏", (await xie.InnerTextAsync("[data-test=holder]")).Trim());
        Assert.Equal(0, await xie.Locator("[data-test=complete]").CountAsync());

        // Lu completes the check; the consultation goes to the committee ballot.
        await lu.GotoAsync(workUrl);
        Assert.Equal("办理人：陆鹏", (await lu.InnerTextAsync("[data-test=holder]")).Trim());
        await Accessibility.AssertNoSeriousViolationsAsync(lu, "task transferred");
        await lu.CheckAsync("input[name=outcome][value=accept]");
        await lu.ClickAsync("[data-test=complete]");
        await lu.WaitForSelectorAsync("[data-test=saved]");

        await lu.GotoAsync(instanceUrl);
        Assert.Equal(1, await lu.Locator("[data-test=diagram] svg g.activity.open[data-id=committee-ballot]").CountAsync());
        var history = await lu.InnerTextAsync("[data-test=move-history]");
        Assert.Contains("认领", history, StringComparison.Ordinal);
        Assert.Contains("谢婷 → 陆鹏", history, StringComparison.Ordinal);
        Assert.Contains("本人外出培训，请陆鹏审核。", history, StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(lu, "instance with the history of moves");
        await Browser.ScreenshotAsync(lu, "task-moves-instance.zh");
    }

    [Fact]
    public async Task A_person_sets_leave_with_a_deputy_on_their_own_preferences_page()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();
        var lu = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(lu, "p-office-lu");

        await lu.GotoAsync("/preferences");
        await lu.ClickAsync("[data-test=leave-link]");
        await lu.WaitForURLAsync(LeavePage());
        await Accessibility.AssertNoSeriousViolationsAsync(lu, "leave");
        await lu.FillAsync("#leave-first", SignIn.Today());
        await lu.FillAsync("#leave-last", SignIn.Today(addDays: 4));
        await lu.SelectOptionAsync("#leave-deputy", "p-office-xie");
        await lu.ClickAsync("[data-test=save-leave]");
        await lu.WaitForSelectorAsync("[data-test=saved]");

        var current = await lu.InnerTextAsync("[data-test=current-leave]");
        Assert.Contains(SignIn.Today(addDays: 4), current, StringComparison.Ordinal);
        Assert.Contains("谢婷", current, StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(lu, "leave set");

        await lu.ClickAsync("[data-test=clear-leave] button");
        await lu.WaitForSelectorAsync("[data-test=saved]");
        Assert.Equal(0, await lu.Locator("[data-test=current-leave]").CountAsync());
    }

    [GeneratedRegex("/preferences/leave$")]
    private static partial Regex LeavePage();
}
