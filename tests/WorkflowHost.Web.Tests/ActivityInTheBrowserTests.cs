using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// An activity co-organised (活动共抓) in a real browser, pages only, in Chinese: the school proposes a sports day and
/// reserves its playground, the library pledges its lecture hall and is refused, with a message, when it books the hall
/// again for overlapping hours; the school closes the sign-up, the office approves, and the activity's page sums up
/// the pledges with their facility hours; each unit confirms its pledge kept; the day passes on the host's clock, the
/// sweep (triggered now, as the dashboard's "Trigger now" would) fires the activity's timer, and the school files
/// the summary, which completes the activity.
/// </summary>
public sealed class ActivityInTheBrowserTests
{
    [Fact]
    public async Task Two_units_pledge_a_double_booking_is_refused_and_the_activity_ends_with_its_summary()
    {
        // The host's clock, so the activity's date can pass; it starts at the real time.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start(time);

        var school = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(school, "p-liaison-han");
        await school.GotoAsync("/submit/activity-co-organisation");
        await Accessibility.AssertNoSeriousViolationsAsync(school, "submit-activity");
        await school.FillAsync("#f-title", "社区邻里运动会");
        await school.FillAsync("#f-date", SignIn.Today(14));
        await school.FillAsync("#f-startTime", "09:00");
        await school.FillAsync("#f-endTime", "12:00");
        await school.FillAsync("#f-place", "新华路小学操场");
        await school.FillAsync("#f-description", "邻里趣味运动会。");
        await school.FillAsync("#f-budget", "8000");
        await school.ClickAsync("[data-test=submit]");
        await school.WaitForSelectorAsync("[data-test=submitted]");
        var instanceUrl = new Uri(school.Url).AbsolutePath;

        // Each unit finds the open window under 活动认领 and pledges there.
        await PledgeAsync(school, "fac-primary-playground", "08:30", "12:30");
        var library = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(library, "p-liaison-dong");
        await PledgeAsync(library, "fac-library-lecture-hall", "13:00", "15:00");
        Assert.Equal(2, await library.Locator("[data-test=pledge]").CountAsync());

        // The same hall again for overlapping hours: refused, the message next to the facility, nothing stored.
        await library.SelectOptionAsync("#f-item-kind", "facility");
        await library.FillAsync("#f-item-facility", "fac-library-lecture-hall");
        await library.FillAsync("#f-item-from", "14:30");
        await library.FillAsync("#f-item-to", "16:00");
        await library.ClickAsync("[data-test=make-pledge]");
        await library.WaitForSelectorAsync("[data-test=error]");
        Assert.Contains("已被预订", await library.InnerTextAsync("#f-item-facility-error"));
        Assert.Equal(2, await library.Locator("[data-test=pledge-ledger] [data-test=pledge]").CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(library, "pledge-refused");
        await Browser.ScreenshotAsync(library, "pledge-double-booking.zh");

        // The school closes the sign-up; the office approves (budget under 20,000).
        await school.GotoAsync(instanceUrl);
        await school.ClickAsync("main ul li a[href^='/work/']:has-text('驻区单位报名')");
        await Accessibility.AssertNoSeriousViolationsAsync(school, "sign-up-step");
        await school.CheckAsync("input[name=outcome][value=close]");
        await school.ClickAsync("[data-test=complete]");
        await school.WaitForSelectorAsync("[data-test=saved]");
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        await office.ClickAsync("[data-test=inbox-item] a");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "office-review");
        await office.CheckAsync("input[name=outcome][value=approve]");
        await office.ClickAsync("[data-test=complete]");
        await office.WaitForSelectorAsync("[data-test=saved]");

        // The activity's page sums up: both pledges with their facility hours, and one delivery task per unit.
        await office.GotoAsync(instanceUrl);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "activity-summary");
        var hours = await office.Locator("[data-test=facility-hours]").AllInnerTextsAsync();
        Assert.Contains(hours, h => h.Contains("08:30–12:30", StringComparison.Ordinal));
        Assert.Contains(hours, h => h.Contains("13:00–15:00", StringComparison.Ordinal));
        Assert.Equal(2, await office.Locator("[data-test=follow-up]").CountAsync());
        await Browser.ScreenshotAsync(office, "activity-summary.zh");

        // Each unit confirms, from its inbox, that it kept its pledge.
        foreach (var unit in new[] { school, library })
        {
            await unit.GotoAsync("/inbox");
            await unit.ClickAsync("[data-test=inbox-item] a");
            await unit.CheckAsync("input[name=outcome][value=fulfilled]");
            await Accessibility.AssertNoSeriousViolationsAsync(unit, "pledge-delivery");
            await unit.ClickAsync("[data-test=complete]");
            await unit.WaitForSelectorAsync("[data-test=saved]");
        }

        // The day passes. The sweep (every minute, on the host's clock) fires the timer, and the summary task reaches the
        // school's inbox. Its next turn can be a minute of real time away: it is run now through Hangfire's own API in the
        // host, what the dashboard's "Trigger now" does for an operator (that page itself is not visited here: Chromium
        // reports policy refusals on it). The school signs in afresh, as a person would a fortnight later.
        time.Advance(TimeSpan.FromDays(15));
        Assert.NotNull(host.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(OverdueSweepJob.RecurringJobId));
        var lead = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(lead, "p-liaison-han");
        // The triggered sweep runs on Hangfire's server within moments and opens the summary task.
        await Reloads.UntilShownAsync(lead, "/inbox", lead.Locator("[data-test=inbox-item] a:has-text('牵头单位报送活动总结')"),
            TimeSpan.FromSeconds(120), "The overdue sweep's task 牵头单位报送活动总结");
        await lead.ClickAsync("[data-test=inbox-item] a:has-text('牵头单位报送活动总结')");
        await Accessibility.AssertNoSeriousViolationsAsync(lead, "file-summary");
        await lead.FillAsync("#f-data-participants", "120");
        await lead.FillAsync("#f-data-summary", "运动会顺利举行，居民和驻区单位职工共一百二十人参加。");
        await lead.CheckAsync("input[name=outcome][value=file]");
        await lead.ClickAsync("[data-test=complete]");
        await lead.WaitForSelectorAsync("[data-test=saved]");

        await lead.GotoAsync(instanceUrl);
        Assert.Equal("已完成", await lead.InnerTextAsync("[data-test=status]"));
        await Accessibility.AssertNoSeriousViolationsAsync(lead, "activity-completed");
        await Browser.ScreenshotAsync(lead, "activity-completed.zh");
        Assert.Empty(browser.PolicyViolations);
    }

    private static async Task PledgeAsync(Microsoft.Playwright.IPage page, string facility, string from, string to)
    {
        await page.ClickAsync("[data-test=nav-pledges]");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "open-windows");
        await page.ClickAsync("[data-test=window] a");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "pledges");
        await page.SelectOptionAsync("#f-item-kind", "facility");
        await page.FillAsync("#f-item-facility", facility);
        await page.FillAsync("#f-item-from", from);
        await page.FillAsync("#f-item-to", to);
        await page.ClickAsync("[data-test=make-pledge]");
        await page.WaitForSelectorAsync("[data-test=saved]");
    }
}
