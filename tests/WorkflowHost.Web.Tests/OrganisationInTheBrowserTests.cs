using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// The organisation run from the product, in a real browser and the Chinese interface, axe on every page: Binhe's
/// administrator adds a resident unit and its liaison on /admin/directory, invites the liaison from /admin/accounts
/// (Development shows the link), and imports one more unit from a CSV (upload, preview, import). The liaison opens the
/// link in a browser of their own, sets a password, lands signed in and submits a promotion consultation for their unit.
/// </summary>
public sealed class OrganisationInTheBrowserTests
{
    [Fact]
    public async Task An_administrator_adds_a_unit_and_its_liaison_invites_them_and_the_liaison_submits_a_consultation()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var admin = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(admin, "p-admin-shen");
        await admin.ClickAsync("header a[href='/admin/directory']");
        await admin.WaitForURLAsync(new Regex("/admin/directory$"));
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "directory");

        await admin.FillAsync("[data-test=add-unit] input[name='unit.Id']", "unit-binhe-tea-house");
        await admin.FillAsync("[data-test=add-unit] input[name='unit.NameZh']", "滨河茶社");
        await admin.FillAsync("[data-test=add-unit] input[name='unit.NameEn']", "Binhe Tea House");
        await admin.SelectOptionAsync("[data-test=add-unit] select[name='unit.Kind']", "company");
        await admin.ClickAsync("[data-test=add-unit] button[type=submit]");
        await admin.WaitForSelectorAsync("[data-test=message]");
        Assert.Equal("已保存。", await admin.InnerTextAsync("[data-test=message]"));
        Assert.Contains("滨河茶社", await admin.InnerTextAsync("tr[data-unit=unit-binhe-tea-house]"));
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "directory-unit-added");

        await admin.FillAsync("[data-test=add-person] input[name='person.Id']", "p-liaison-tea");
        await admin.FillAsync("[data-test=add-person] input[name='person.NameZh']", "陶然");
        await admin.FillAsync("[data-test=add-person] input[name='person.NameEn']", "Tao Ran");
        await admin.SelectOptionAsync("[data-test=add-person] select[name='person.UnitId']", "unit-binhe-tea-house");
        await admin.SelectOptionAsync("[data-test=add-person] select[name='role']", "unit-liaison");
        await admin.ClickAsync("[data-test=add-person] button[type=submit]");
        await admin.WaitForSelectorAsync("tr[data-person=p-liaison-tea]");
        Assert.Contains("单位联络员", await admin.InnerTextAsync("tr[data-person=p-liaison-tea]"));
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "directory-person-added");

        // The new person has no account yet: the invitation opens one, with no password until they set theirs.
        await admin.ClickAsync("[data-test=accounts-link]");
        await admin.WaitForURLAsync(new Regex("/admin/accounts$"));
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "accounts");
        await admin.ClickAsync("tr[data-person=p-liaison-tea] [data-test=invite]");
        var link = await admin.InnerTextAsync("[data-test=shown-link]");
        Assert.Matches("/account/invitation/[A-Za-z0-9_-]{43}$", link);
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "accounts-invited");

        // One more unit from a CSV: upload, preview, import.
        await admin.GotoAsync("/admin/directory");
        await admin.ClickAsync("[data-test=import-link]");
        await admin.WaitForURLAsync(new Regex("/admin/directory/import"));
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "import");
        var csv = "单位编号,单位名称（中文）,单位名称（英文）,单位类型,加入日期\r\nunit-binhe-florist,滨河花店,Binhe Florist,企业,2026-10-01\r\n";
        await admin.SetInputFilesAsync("[data-test=upload] input[type=file]",
            new FilePayload { Name = "导入.csv", MimeType = "text/csv", Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)] });
        await admin.ClickAsync("[data-test=upload] button[type=submit]");
        await admin.WaitForSelectorAsync("[data-test=report]");
        Assert.Contains("尚未写入", await admin.InnerTextAsync("[data-test=summary]"));
        Assert.Equal("added", await admin.GetAttributeAsync("[data-test=row]", "data-outcome"));
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "import-preview");
        await admin.ClickAsync("[data-test=commit] button[type=submit]");
        await admin.WaitForSelectorAsync("[data-test=summary]:has-text('已导入')");
        await Accessibility.AssertNoSeriousViolationsAsync(admin, "import-done");
        await admin.GotoAsync("/admin/directory");
        Assert.Contains("滨河花店", await admin.InnerTextAsync("tr[data-unit=unit-binhe-florist]"));

        // The liaison, in a browser of their own.
        var liaison = await browser.NewPageAsync(host.Address);
        await liaison.GotoAsync(link);
        Assert.Contains("陶然", await liaison.InnerTextAsync("[data-test=link-for]"));
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "invitation");
        await liaison.FillAsync("#password", "teapot harbour willow seven");
        await liaison.FillAsync("#repeat", "teapot harbour willow seven");
        await liaison.ClickAsync("[data-test=save-password]");
        await liaison.WaitForURLAsync(new Regex("/inbox$"));
        Assert.Contains("陶然", await liaison.InnerTextAsync("header.site"));
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "liaison-inbox");

        await liaison.GotoAsync("/submit/promotion-consultation");
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "liaison-submit");
        await liaison.SelectOptionAsync("#f-kind", "promotion");
        await liaison.FillAsync("#f-nomineeName", "钱多多");
        await liaison.FillAsync("#f-nomineePost", "店长");
        await liaison.FillAsync("#f-proposedPost", "总经理");
        await liaison.SelectOptionAsync("#f-partyMembership", "full-member");
        await liaison.FillAsync("#f-reason", "热心社区公益，服务居民。");
        await liaison.FillAsync("#f-replyNeededBy", SignIn.Today(40));
        await liaison.ClickAsync("[data-test=submit]");
        await liaison.WaitForSelectorAsync("[data-test=submitted]");
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "liaison-submitted");

        Assert.Empty(browser.PolicyViolations);
    }
}
