using System.Text;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// Issue 16's one scenario, pages only, in Chinese, everyone signed in for real, axe on each new page: the unit submits a
/// consultation with a PDF; the office's Xie claims the check and transfers it to Lu; Lu asks the street committee's
/// Qian for an opinion (加签) and the check waits; Qian answers on his own task page; Lu reads the opinion and completes
/// the check; the committee member sees the PDF on the ballot page and downloads the very bytes.
/// </summary>
public sealed class CaseHandlingInTheBrowserTests
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task The_check_is_claimed_transferred_and_signed_by_the_street_and_the_member_opens_the_unit_pdf_on_the_ballot()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var liaison = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(liaison, "p-liaison-gao");
        await liaison.GotoAsync("/submit/promotion-consultation");
        await liaison.SelectOptionAsync("#f-kind", "promotion");
        await liaison.FillAsync("#f-nomineeName", "林海");
        await liaison.FillAsync("#f-nomineePost", "综合科副科长");
        await liaison.SelectOptionAsync("#f-partyMembership", "full-member");
        await liaison.FillAsync("#f-reason", "敢于担当，在社区防汛中表现突出。");
        await liaison.FillAsync("#f-replyNeededBy", SignIn.Today(40));
        await liaison.SetInputFilesAsync("[data-field=materials] input[type=file]",
            new FilePayload { Name = "林海同志考察材料.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await liaison.WaitForSelectorAsync("[data-field=materials] [data-test=uploaded-file]");
        await liaison.ClickAsync("[data-test=submit]");
        await liaison.WaitForSelectorAsync("[data-test=submitted]");
        var instanceUrl = new Uri(liaison.Url).AbsolutePath;
        var workUrl = $"/work/{instanceUrl["/instances/".Length..]}/office-check%231";

        // 认领 and 转交.
        var xie = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(xie, "p-office-xie");
        await xie.GotoAsync(workUrl);
        await xie.ClickAsync("[data-test=claim]");
        await xie.WaitForSelectorAsync("[data-test=saved]");
        await xie.SelectOptionAsync("#transfer-to", "p-office-lu");
        await xie.FillAsync("#transfer-reason", "街道对该同志情况更了解，请陆鹏征求街道意见后审核。");
        await xie.ClickAsync("[data-test=transfer]");
        await xie.WaitForSelectorAsync("[data-test=saved]");
        Assert.Equal("办理人：陆鹏", (await xie.InnerTextAsync("[data-test=holder]")).Trim());

        // 加签: Lu asks the street committee; the check waits for the opinion.
        var lu = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(lu, "p-office-lu");
        await lu.GotoAsync(workUrl);
        await Accessibility.AssertNoSeriousViolationsAsync(lu, "check with the add-signer form");
        await lu.CheckAsync("[data-test=signers-form] input[name=signers][value=p-street-qian]");
        await lu.FillAsync("#signers-question", "请街道党工委就林海同志的现实表现提出意见。");
        await lu.ClickAsync("[data-test=add-signers]");
        await lu.WaitForSelectorAsync("[data-test=awaiting-opinions]");
        Assert.Contains("钱国栋", await lu.InnerTextAsync("[data-test=opinions]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(lu, "check waiting for the opinion");

        // The signer answers on his own task, from his inbox.
        var qian = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(qian, "p-street-qian");
        await qian.Locator("[data-test=inbox-item] a").First.ClickAsync();
        await qian.WaitForSelectorAsync("[data-test=opinion-asked]");
        Assert.Contains("林海同志的现实表现", await qian.InnerTextAsync("[data-test=opinion-asked]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(qian, "opinion task");
        await qian.FillAsync("#opinion-comment", "该同志在街道防汛工作中表现突出，同意。");
        await qian.ClickAsync("[data-test=give-opinion]");
        await qian.WaitForSelectorAsync("[data-test=opinion-given]");

        // Lu reads the opinion, no longer waits, and completes the check: the ballot opens.
        await lu.GotoAsync(workUrl);
        Assert.Contains("该同志在街道防汛工作中表现突出", await lu.InnerTextAsync("[data-test=opinions]"), StringComparison.Ordinal);
        Assert.Equal(0, await lu.Locator("[data-test=awaiting-opinions]").CountAsync());
        await lu.CheckAsync("input[name=outcome][value=accept]");
        await lu.ClickAsync("[data-test=complete]");
        await lu.WaitForSelectorAsync("[data-test=saved]");

        var member = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(member, "p-member-li");
        await member.ClickAsync("[data-test=inbox-item] a");
        await member.WaitForSelectorAsync("[data-test=cast-vote]");
        var link = member.Locator("[data-test=attachment-link]", new PageLocatorOptions { HasText = "林海同志考察材料.pdf" });
        var download = await member.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal("林海同志考察材料.pdf", download.SuggestedFilename);
        var saved = Path.Combine(host.DataFolder, "opened.pdf");
        await download.SaveAsAsync(saved);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken));

        // The instance page keeps the whole story of the moves.
        await lu.GotoAsync(instanceUrl);
        var history = await lu.InnerTextAsync("[data-test=move-history]");
        Assert.Contains("谢婷 → 陆鹏", history, StringComparison.Ordinal);
        Assert.Empty(browser.PolicyViolations);
    }
}
