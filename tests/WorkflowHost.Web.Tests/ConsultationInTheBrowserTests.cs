using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// The whole consultation in a real browser: a unit liaison submits, the office accepts, members vote from their inboxes
/// (one at phone width), a member from the submitting unit sees no vote buttons, one recuses themselves, and the unit
/// reads the decision and opens the reply, in Chinese and then in English. Screenshots go to TestResults/screenshots.
/// </summary>
public sealed class ConsultationInTheBrowserTests
{
    /// <summary>The committee members able to vote on a file from the housing bureau (p-member-liu comes from it).</summary>
    private static readonly string[] Voters =
    [
        "p-member-li", "p-member-zhang", "p-member-chen", "p-member-zhao", "p-member-sun", "p-member-zhou", "p-member-wu",
        "p-member-zheng", "p-member-feng", "p-member-he", "p-member-lin", "p-secretary-wang",
    ];

    [Fact]
    public async Task A_unit_submits_the_office_accepts_members_vote_and_the_unit_opens_the_reply()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        // The liaison of the housing bureau submits; an empty form first shows a message next to each required field.
        var liaison = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(liaison, "p-liaison-gao");
        Assert.Equal("zh-CN", await liaison.GetAttributeAsync("html", "lang"));
        await Browser.ScreenshotAsync(liaison, "inbox-liaison.zh");
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "inbox");

        // Keyboard first: the first Tab reaches the skip link, and it shows itself.
        await liaison.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await liaison.EvaluateAsync<string>("document.activeElement.className"));
        Assert.True(await liaison.EvaluateAsync<double>("document.activeElement.getBoundingClientRect().left") >= 0);

        // With three processes a liaison may start, /submit lists them; the consultation has its own form page.
        await liaison.GotoAsync("/submit/promotion-consultation");
        Assert.Equal(0, await liaison.EvaluateAsync<int>(
            "[...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')].filter(e => e.labels.length === 0).length"));
        await liaison.ClickAsync("[data-test=submit]");
        await liaison.WaitForSelectorAsync("[data-test=form-error]");
        Assert.Equal("此项为必填项。", await liaison.InnerTextAsync("[data-field=nomineeName] [data-test=field-error]"));
        Assert.Equal("true", await liaison.GetAttributeAsync("#f-nomineeName", "aria-invalid"));
        await Browser.ScreenshotAsync(liaison, "submit-errors.zh");

        await liaison.SelectOptionAsync("#f-kind", "promotion");
        await liaison.FillAsync("#f-nomineeName", "周明");
        await liaison.FillAsync("#f-nomineePost", "住房保障科科长");
        await liaison.FillAsync("#f-proposedPost", "副局长");
        await liaison.SelectOptionAsync("#f-partyMembership", "full-member");
        await liaison.FillAsync("#f-reason", "工作实绩突出，群众认可度高。");
        await liaison.FillAsync("#f-replyNeededBy", TimeProvider.System.GetUtcNow().AddDays(40).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await liaison.ClickAsync("[data-test=submit]");
        await liaison.WaitForSelectorAsync("[data-test=submitted]");
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "instance");
        var instanceUrl = new Uri(liaison.Url).AbsolutePath;
        Assert.Matches("^/instances/[0-9a-f-]{36}$", instanceUrl);
        Assert.Equal(1, await liaison.Locator("[data-test=diagram] svg").CountAsync());
        // The open step is marked by a class that site.css draws (no inline style: the Content-Security-Policy forbids it).
        Assert.Equal(1, await liaison.Locator("[data-test=diagram] svg g.activity.open[data-id=office-check]").CountAsync());
        Assert.Equal("700", await liaison.EvaluateAsync<string>(
            "getComputedStyle(document.querySelector('[data-test=diagram] g.activity.open text')).fontWeight"));
        await Browser.ScreenshotAsync(liaison, "instance.zh");

        // The office sees the file in its inbox, with the count in the header, and accepts it.
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        Assert.Equal("1", await office.InnerTextAsync("[data-test=open-count]"));
        await office.ClickAsync("[data-test=inbox-item] a");
        await office.CheckAsync("input[name=outcome][value=accept]");
        await office.ClickAsync("[data-test=complete]");
        await office.WaitForSelectorAsync("[data-test=saved]");

        // The member from the submitting unit is recused automatically: no vote buttons.
        var recused = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(recused, "p-member-liu");
        await recused.GotoAsync(instanceUrl);
        await recused.ClickAsync("main ul li a[href^='/work/']");
        await recused.WaitForSelectorAsync("[data-test=recused]");
        Assert.Equal(0, await recused.Locator("[data-test=cast-vote]").CountAsync());
        Assert.Equal(0, await recused.Locator("[data-test=recuse]").CountAsync());

        // One member recuses themselves, with the reason; then they too see no vote buttons.
        var self = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(self, "p-member-xu");
        await self.ClickAsync("[data-test=inbox-item] a");
        Assert.True(await self.EvalOnSelectorAsync<bool>("#recuse-reason", "e => e.required && !e.checkValidity()"), "A recusal without a reason is not sent.");
        await self.FillAsync("#recuse-reason", "被推荐人是本人亲属。");
        await self.ClickAsync("[data-test=recuse]");
        await self.WaitForSelectorAsync("[data-test=recused]");
        Assert.Equal(0, await self.Locator("[data-test=cast-vote]").CountAsync());

        // Members vote from their inboxes, the first at phone width, until the ballot is decided.
        var first = true;
        foreach (var member in Voters)
        {
            var page = await browser.NewPageAsync(host.Address, phone: first);
            await SignIn.AsAsync(page, member);
            if (await page.Locator("[data-test=inbox-item] a").CountAsync() == 0)
            {
                await page.Context.CloseAsync();
                break;
            }

            await page.ClickAsync("[data-test=inbox-item] a");
            if (first)
            {
                await Browser.ScreenshotAsync(page, "ballot-phone.zh");
                var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
                Assert.True(width <= 390, $"The ballot page is {width}px wide on a 390px phone.");
            }

            await page.CheckAsync("input[name=choice][value=consent]");
            await page.ClickAsync("[data-test=cast-vote]");
            await page.WaitForSelectorAsync("[data-test=saved]");
            if (first)
            {
                await page.WaitForSelectorAsync("[data-test=voted]");
                Assert.Contains("已表决 1 人", await page.InnerTextAsync("[data-test=vote-count]"));
                Assert.Equal(0, await page.Locator("[data-test=cast-vote]").CountAsync());
            }

            first = false;
            await page.Context.CloseAsync();
        }

        // The unit sees the decision and opens the reply.
        await liaison.GotoAsync("/mine");
        Assert.Equal("同意", await liaison.InnerTextAsync("[data-test=submission] [data-test=result]"));
        await Browser.ScreenshotAsync(liaison, "my-submissions.zh");
        await liaison.ClickAsync("[data-test=submission] a");
        await liaison.ClickAsync("[data-test=open-reply]");
        await liaison.WaitForSelectorAsync("[data-test=reply-document]");
        Assert.Contains("周明", await liaison.InnerTextAsync("[data-test=reply-body]"));
        Assert.Equal(1, await liaison.Locator("script[src='/js/print.js']").CountAsync());
        var number = await liaison.InnerTextAsync("[data-test=reply-number]");
        Assert.False(string.IsNullOrWhiteSpace(number));
        await Browser.ScreenshotAsync(liaison, "reply.zh");

        // The language switch shows the same page in English, and is remembered for the person.
        await liaison.ClickAsync("[data-test=language]");
        await liaison.WaitForSelectorAsync("html[lang=en]");
        Assert.Contains("consent", (await liaison.InnerTextAsync("[data-test=reply-body]")).ToLowerInvariant());
        Assert.Equal(number, await liaison.InnerTextAsync("[data-test=reply-number]"));
        await Browser.ScreenshotAsync(liaison, "reply.en");
        await liaison.GotoAsync("/mine");
        Assert.Equal("en", await liaison.GetAttributeAsync("html", "lang"));
        Assert.Equal("Consent", await liaison.InnerTextAsync("[data-test=submission] [data-test=result]"));
        await Browser.ScreenshotAsync(liaison, "my-submissions.en");
        await liaison.GotoAsync(instanceUrl);
        await Browser.ScreenshotAsync(liaison, "instance.en");
        await liaison.GotoAsync("/inbox");
        await Browser.ScreenshotAsync(liaison, "inbox-liaison.en");

        // The secretary's dashboard, with charts drawn in the page, and the notification centre.
        var secretary = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(secretary, "p-secretary-wang");
        await secretary.GotoAsync("/dashboard");
        Assert.Contains("0", await secretary.InnerTextAsync("[data-test=overdue-items]"));
        Assert.True(await secretary.Locator("main svg rect").CountAsync() >= 2);
        await Browser.ScreenshotAsync(secretary, "dashboard.zh");
        await secretary.GotoAsync("/notifications");
        await Browser.ScreenshotAsync(secretary, "notifications.zh");

        // The administrator sees the definitions with their diagrams and the way to the jobs dashboard.
        var admin = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(admin, "p-admin-shen");
        await admin.GotoAsync("/admin");
        Assert.True(await admin.Locator("[data-test=definition] svg").CountAsync() >= 1);
        Assert.Equal(1, await admin.Locator("a[href='/hangfire']").CountAsync());
        var refused = await liaison.GotoAsync("/admin");
        Assert.Equal(403, refused!.Status);
        await Browser.ScreenshotAsync(admin, "admin.zh");

        // Every page above ran under the Content-Security-Policy without Chromium refusing anything.
        Assert.Empty(browser.PolicyViolations);
    }
}
