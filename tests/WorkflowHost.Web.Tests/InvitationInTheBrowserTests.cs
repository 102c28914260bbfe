using System.Text.RegularExpressions;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// An invitation in a real browser: the administrator invites a committee member from /admin/accounts (Development, so
/// the page shows the link), the member opens it in a browser context of their own (no cookies, not signed in), sets a
/// password and lands signed in on the inbox. Also the QR code of enrolment under the Content-Security-Policy.
/// </summary>
public sealed class InvitationInTheBrowserTests
{
    [Fact]
    public async Task An_administrator_invites_a_person_who_opens_the_link_sets_a_password_and_lands_signed_in()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var admin = await browser.NewPageAsync(host.Address);
        await admin.GotoAsync("/account/login");
        await admin.FillAsync("#userName", "p-admin-shen");
        await admin.FillAsync("#password", "Binhe-Demo-2026");
        await admin.ClickAsync("button[type=submit]");
        await admin.WaitForURLAsync(new Regex("/inbox$"));

        await admin.GotoAsync("/admin");
        await admin.ClickAsync("[data-test=accounts-link]");
        await admin.WaitForURLAsync(new Regex("/admin/accounts$"));
        await admin.ClickAsync("tr[data-person=p-member-zhang] [data-test=invite]");
        var link = await admin.InnerTextAsync("[data-test=shown-link]");
        Assert.Matches("/account/invitation/[A-Za-z0-9_-]{43}$", link);
        Assert.Contains("邀请链接", await admin.InnerTextAsync("tr[data-person=p-member-zhang]"));
        await Browser.ScreenshotAsync(admin, "accounts.zh");

        // A new context: nobody is signed in there.
        var member = await browser.NewPageAsync(host.Address);
        await member.GotoAsync(link);
        Assert.Contains("张敏", await member.InnerTextAsync("[data-test=link-for]"));
        await member.FillAsync("#password", "pebble lighthouse mango river");
        await member.FillAsync("#repeat", "pebble lighthouse mango river");
        await member.ClickAsync("[data-test=save-password]");
        await member.WaitForURLAsync(new Regex("/inbox$"));
        Assert.Contains("张敏", await member.InnerTextAsync("header.site"));

        // The link is spent: opening it again says so.
        var again = await browser.NewPageAsync(host.Address);
        var response = await again.GotoAsync(link);
        Assert.Equal(409, response!.Status);
        Assert.NotEmpty(await again.InnerTextAsync("[data-test=link-refused]"));

        // Enrolment draws its QR code as inline SVG, which the policy allows.
        await admin.GotoAsync("/account/two-factor/enrol");
        Assert.Equal(1, await admin.Locator("[data-test=qr] svg path").CountAsync());
        await Browser.ScreenshotAsync(admin, "two-factor-enrol.zh");

        Assert.Empty(browser.PolicyViolations);
    }
}
