using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// The settings pages no process scenario passes through, in a real browser with axe on each: a member's notification
/// preferences and leave page; the administrator's notification channels (a robot saved with write-only keys, a test
/// message that fails and says why, a retry); and the directory's change journal after a change made on its page.
/// </summary>
public sealed partial class SettingsInTheBrowserTests
{
    [Fact]
    public async Task A_member_chooses_how_reminders_reach_them_and_the_choice_is_kept()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var member = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(member, "p-member-li");
        await member.ClickAsync("header a[href='/notifications']");
        await member.ClickAsync("[data-test=preferences-link]");
        await member.WaitForURLAsync(Preferences());
        await Accessibility.AssertNoSeriousViolationsAsync(member, "preferences");

        var email = member.Locator("[data-test=preferences] input[name=channels][value=email]");
        var digest = member.Locator("[data-test=preferences] input[name=digest]");
        var emailWas = await email.IsCheckedAsync();
        await email.SetCheckedAsync(!emailWas);
        await digest.SetCheckedAsync(true);
        await member.ClickAsync("[data-test=preferences] button[type=submit]");
        await member.WaitForSelectorAsync("[data-test=saved]");

        await member.GotoAsync("/preferences");
        Assert.Equal(!emailWas, await email.IsCheckedAsync());
        Assert.True(await digest.IsCheckedAsync());

        await member.ClickAsync("[data-test=leave-link]");
        await member.WaitForURLAsync(new Regex("/preferences/leave$"));
        await Accessibility.AssertNoSeriousViolationsAsync(member, "leave");
        Assert.Empty(browser.PolicyViolations);
    }

    [Fact]
    public async Task An_administrator_sets_up_a_robot_sees_its_test_message_fail_with_the_reason_and_retries_it()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();
        const string webhook = "http://127.0.0.1:9/robot/send?access_token=kept-out-of-the-page";
        const string secret = "SEC-never-shown-again";

        var admin = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(admin, "p-admin-shen");
        await admin.ClickAsync("header a[href='/admin']");
        await admin.ClickAsync("[data-test=channels-link]");
        await admin.WaitForURLAsync(new Regex("/admin/channels$"));
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "channels");

        // A webhook that is not a web address is refused with the reason, and nothing is stored.
        var form = admin.Locator("[data-test=settings][data-channel=dingtalk]");
        await form.Locator("input[name=webhook]").FillAsync("not a url");
        await form.Locator("button[type=submit]").ClickAsync();
        await admin.WaitForSelectorAsync("[data-test=message]");
        Assert.DoesNotContain("已保存", await admin.InnerTextAsync("[data-test=message]"));
        Assert.Contains("未配置", await admin.InnerTextAsync("tr[data-channel=dingtalk]"));

        await form.Locator("input[name=enabled]").SetCheckedAsync(true);
        await form.Locator("input[name=webhook]").FillAsync(webhook);
        await form.Locator("input[name=secret]").FillAsync(secret);
        await form.Locator("button[type=submit]").ClickAsync();
        await admin.WaitForSelectorAsync("[data-test=message]:has-text('已保存')");
        var row = await admin.InnerTextAsync("tr[data-channel=dingtalk]");
        Assert.Contains("开启", row);
        Assert.Contains("已配置", row);
        // Write-only: the keys never come back to the page, not even in a field's value.
        var html = await admin.ContentAsync();
        Assert.DoesNotContain("kept-out-of-the-page", html);
        Assert.DoesNotContain(secret, html);
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "channels-saved");

        // The test message goes to a port nobody listens on: its delivery fails, and the page says why.
        await admin.ClickAsync("tr[data-channel=dingtalk] form[action*=Test] button");
        await admin.WaitForSelectorAsync("[data-test=message]");
        // A failed attempt is retried later with back-off, so the row may read "pending" again: what counts is that the
        // channel shows the failure and the delivery its reason.
        var delivery = admin.Locator("[data-test=delivery]");
        var channel = admin.Locator("tr[data-channel=dingtalk]");
        // The delivery is sent by a Hangfire job, so the page shows the failure only once reloaded after it.
        await Reloads.UntilShownAsync(admin, "/admin/channels?channel=dingtalk", admin.Locator("tr[data-channel=dingtalk]:has-text('连续失败')"),
            TimeSpan.FromSeconds(60), "The test message's failed delivery (连续失败) on the DingTalk channel");
        Assert.Contains("连续失败", await channel.InnerTextAsync());
        Assert.Equal(1, await delivery.CountAsync());
        var reason = (await delivery.First.Locator("td").Nth(5).InnerTextAsync()).Trim();
        Assert.False(string.IsNullOrEmpty(reason), "a failed delivery shows its reason: " + await delivery.First.InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "channels-failed");

        await channel.Locator("form[action*=Retry] button").ClickAsync();
        await admin.WaitForSelectorAsync("[data-test=message]:has-text('已重新排队')");
        Assert.Empty(browser.PolicyViolations);
    }

    [Fact]
    public async Task A_change_made_on_the_directory_page_is_in_its_journal_with_who_and_what()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var admin = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(admin, "p-admin-shen");
        await admin.GotoAsync("/admin/directory");
        await admin.FillAsync("[data-test=add-unit] input[name='unit.Id']", "unit-binhe-bookshop");
        await admin.FillAsync("[data-test=add-unit] input[name='unit.NameZh']", "滨河书店");
        await admin.FillAsync("[data-test=add-unit] input[name='unit.NameEn']", "Binhe Bookshop");
        await admin.SelectOptionAsync("[data-test=add-unit] select[name='unit.Kind']", "company");
        await admin.ClickAsync("[data-test=add-unit] button[type=submit]");
        await admin.WaitForSelectorAsync("tr[data-unit=unit-binhe-bookshop]");

        var journal = admin.Locator("a[href^='/admin/directory/changes']");
        Assert.Equal("/admin/directory/changes?community=binhe", await journal.GetAttributeAsync("href"));
        await journal.ClickAsync();
        await admin.WaitForSelectorAsync("[data-test=changes]");
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "directory-changes");
        var change = admin.Locator("[data-test=change]", new() { HasText = "unit-binhe-bookshop" });
        Assert.Equal(1, await change.CountAsync());
        var text = await change.InnerTextAsync();
        Assert.Contains("p-admin-shen", text);
        Assert.Contains("滨河书店", text);
        Assert.Empty(browser.PolicyViolations);
    }

    [GeneratedRegex("/preferences$")]
    private static partial Regex Preferences();
}
