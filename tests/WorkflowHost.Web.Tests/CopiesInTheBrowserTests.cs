using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// 抄送 in a real browser, in Chinese, everyone signed in for real, axe on each new page: the housing bureau's liaison
/// copies a committee member on the unit's consultation with a note; the office, on a page opened before that, tries to
/// copy the same member again and is refused on the page, next to the field; the member, who could not open the case
/// before, finds it under 抄送我的 and reads it with nothing to act on.
/// </summary>
public sealed class CopiesInTheBrowserTests
{
    private const string Copied = "p-member-zhang";   // 张敏, a committee member: no ballot yet, so no access but the copy
    private const string Note = "请张敏委员提前了解该同志情况。";

    [Fact]
    public async Task The_unit_copies_a_member_the_office_is_refused_a_second_copy_and_the_member_reads_the_case_from_copied_to_me()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var liaison = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(liaison, "p-liaison-gao");
        var instanceUrl = await SubmitAsync(liaison);

        // Before the copy the member may not see the case: it does not exist for them.
        var member = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(member, Copied);
        Assert.Equal(404, (await member.GotoAsync(instanceUrl))!.Status);

        // The office opens the case while the member is still offered.
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        await office.GotoAsync(instanceUrl);
        var officeOffer = office.Locator($"[data-test=copy-form] input[name=to][value={Copied}]");
        Assert.Equal(1, await officeOffer.CountAsync());

        // The unit copies the member with a note; the copy is listed, and the member is no longer offered.
        await liaison.GotoAsync(instanceUrl);
        await liaison.WaitForSelectorAsync("[data-test=copy-form]");
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "instance with the copy form");
        await liaison.CheckAsync($"[data-test=copy-form] input[name=to][value={Copied}]");
        await liaison.FillAsync("#copy-note", Note);
        await liaison.ClickAsync("[data-test=copy]");
        await liaison.WaitForSelectorAsync("[data-test=copies]");
        var copies = await liaison.InnerTextAsync("[data-test=copies]");
        Assert.Contains("高峰", copies, StringComparison.Ordinal);
        Assert.Contains("张敏", copies, StringComparison.Ordinal);
        Assert.Contains(Note, copies, StringComparison.Ordinal);
        Assert.Equal(0, await liaison.Locator($"[data-test=copy-form] input[name=to][value={Copied}]").CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "instance with a copy");

        // The office's page is older: copying the member again is refused on the page, and nothing more is journaled.
        await officeOffer.CheckAsync();
        await office.FillAsync("#copy-note", "再次抄送。");
        await office.ClickAsync("[data-test=copy]");
        await office.WaitForSelectorAsync("[data-test=error]");
        Assert.Contains("已被抄送", await office.InnerTextAsync("[data-test=error]"), StringComparison.Ordinal);
        Assert.Contains("已被抄送", await office.InnerTextAsync("#copy-to-error"), StringComparison.Ordinal);
        Assert.Equal(1, await office.Locator("[data-test=copies] tbody tr").CountAsync());
        Assert.DoesNotContain("再次抄送。", await office.InnerTextAsync("[data-test=copies]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "copy refused");

        // The member finds the case under 抄送我的, with who copied it, and opens it: readable, nothing to act on.
        await member.GotoAsync("/inbox");
        await member.ClickAsync("[data-test=copied-tab]");
        await member.WaitForSelectorAsync("[data-test=copied]");
        var item = member.Locator("[data-test=copied-item]");
        Assert.Equal(1, await item.CountAsync());
        var itemText = await item.InnerTextAsync();
        Assert.Contains("评先评优、提拔使用征求意见", itemText, StringComparison.Ordinal);
        Assert.Contains("高峰 于", itemText, StringComparison.Ordinal);
        Assert.Contains("住房", itemText, StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(member, "copied to me");
        await item.Locator("a").ClickAsync();
        await member.WaitForURLAsync("**" + instanceUrl);
        Assert.Contains("林海", await member.InnerTextAsync("dl.file"), StringComparison.Ordinal);
        Assert.Contains(Note, await member.InnerTextAsync("[data-test=copies]"), StringComparison.Ordinal);
        Assert.Equal(0, await member.Locator("[data-test=copy-form], [data-test=withdraw-form], [data-test=complete]").CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(member, "instance read by a copied member");
        Assert.Empty(browser.PolicyViolations);
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
}
