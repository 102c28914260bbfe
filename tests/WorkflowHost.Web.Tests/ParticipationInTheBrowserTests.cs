using System.Text.RegularExpressions;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// The participation log in a real browser: a school's liaison proposes an activity, the office opens a
/// check-in for it and reads the code off the page, and a member on a phone checks in with it (a wrong code first, refused
/// next to the field); the member's page then lists the activity. The office reads Chinese, the member English. axe-core
/// on every page visited.
/// </summary>
public sealed partial class ParticipationInTheBrowserTests
{
    private const string School = "p-liaison-han";
    private const string Office = "p-office-xie";
    private const string Member = "p-inservice-huang";   // registered in the seeds

    [Fact]
    public async Task The_office_opens_a_check_in_and_a_member_checks_in_on_a_phone_with_the_code()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var school = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(school, School);
        await school.GotoAsync("/submit/activity-co-organisation");
        await school.FillAsync("#f-title", "冬季消防安全演练");
        await school.FillAsync("#f-date", SignIn.Today(3));
        await school.FillAsync("#f-startTime", "09:00");
        await school.FillAsync("#f-endTime", "11:00");
        await school.FillAsync("#f-place", "社区文化广场");
        await school.FillAsync("#f-description", "消防知识讲解与灭火器实操。");
        await school.FillAsync("#f-budget", "3000");
        await school.ClickAsync("[data-test=submit]");
        await school.WaitForSelectorAsync("[data-test=submitted]");

        // The office finds it among the activities and opens a check-in for two hours.
        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, Office);
        await office.GotoAsync("/in-service/office");
        await office.ClickAsync("[data-test=activities-link]");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "in-service activities");
        await office.ClickAsync("[data-test=activity] a:has-text('冬季消防安全演练')");
        await office.WaitForSelectorAsync("[data-test=open-check-in]");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "activity attendance");
        await office.FillAsync("[data-test=check-in-minutes]", "120");
        await office.ClickAsync("[data-test=open-check-in-button]");
        await office.WaitForSelectorAsync("[data-test=check-in-qr] svg");
        var code = (await office.InnerTextAsync("[data-test=check-in-code]")).Trim();
        Assert.Matches(new Regex("^[0-9]{6}$"), code);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "activity with an open check-in");
        await Browser.ScreenshotAsync(office, "in-service-check-in-open.zh");

        // The member checks in on a phone: a wrong code is refused next to the field, then the right one counts.
        var member = await browser.NewPageAsync(host.Address, phone: true);
        await SignIn.AsAsync(member, Member);
        await member.GotoAsync("/in-service");
        await member.ClickAsync("[data-test=go-check-in]");
        await member.FillAsync("[data-test=check-in-code-input]", code == "123456" ? "654321" : "123456");
        await member.ClickAsync("[data-test=check-in-button]");
        Assert.Contains("This code is not right", await member.InnerTextAsync("#f-code-error"), StringComparison.Ordinal); // Huang reads in English
        await Accessibility.AssertNoSeriousViolationsAsync(member, "check-in refused");
        await member.FillAsync("[data-test=check-in-code-input]", code);
        await member.ClickAsync("[data-test=check-in-button]");
        Assert.Contains("Checked in: 冬季消防安全演练", await member.InnerTextAsync("[data-test=notice]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(member, "checked in");
        await Browser.ScreenshotAsync(member, "in-service-check-in.en");

        await member.GotoAsync("/in-service");
        Assert.Contains("冬季消防安全演练", await member.InnerTextAsync("[data-test=my-activities]"), StringComparison.Ordinal);

        // The office's sheet shows the member counted by the check-in.
        await office.ReloadAsync();
        Assert.Contains("签到码签到", await office.InnerTextAsync($"[data-test=attendance-row][data-person={Member}] [data-test=counted-by]"), StringComparison.Ordinal);
    }
}
