using System.Text;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// A file travels with the case in a real browser, in Chinese: the unit attaches a PDF to its submission (uploaded at
/// once, with a progress bar, then listed with its size and type), and the committee member sees it on the ballot page
/// with a download link; a comment carries a file through the comment box. axe-core checks every page on the way.
/// </summary>
public sealed class AttachmentsInTheBrowserTests
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task The_unit_attaches_a_pdf_on_submission_and_the_committee_member_sees_it_on_the_ballot_page()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var host = WebHost.Start();

        var liaison = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(liaison, "p-liaison-gao");
        await liaison.GotoAsync("/submit/promotion-consultation");
        await liaison.SelectOptionAsync("#f-kind", "promotion");
        await liaison.FillAsync("#f-nomineeName", "周明");
        await liaison.FillAsync("#f-nomineePost", "住房保障科科长");
        await liaison.SelectOptionAsync("#f-partyMembership", "full-member");
        await liaison.FillAsync("#f-reason", "工作实绩突出，群众认可度高。");
        await liaison.FillAsync("#f-replyNeededBy", SignIn.Today(40));
        await liaison.SetInputFilesAsync("[data-field=materials] input[type=file]",
            new FilePayload { Name = "周明同志考察材料.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await liaison.WaitForSelectorAsync("[data-field=materials] [data-test=uploaded-file]");
        var listed = await liaison.InnerTextAsync("[data-field=materials] [data-test=uploaded-file]");
        Assert.Contains("周明同志考察材料.pdf", listed, StringComparison.Ordinal);
        Assert.Contains("PDF", listed, StringComparison.Ordinal);
        Assert.Contains(" B", listed, StringComparison.Ordinal);
        await Browser.ScreenshotAsync(liaison, "submit-with-file.zh");
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "submit with a file");
        await liaison.ClickAsync("[data-test=submit]");
        await liaison.WaitForSelectorAsync("[data-test=submitted]");
        Assert.Contains("周明同志考察材料.pdf", await liaison.InnerTextAsync("[data-test=attachments]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "instance with a file");

        // The comment box takes a file the same way (commentFiles), and the comment lists it.
        await liaison.FillAsync("#comment-text", "任免审批表见附件。");
        await liaison.SetInputFilesAsync("[data-test=comment-form] input[type=file]",
            new FilePayload { Name = "任免审批表.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await liaison.WaitForSelectorAsync("[data-test=comment-form] [data-test=uploaded-file]");
        await liaison.ClickAsync("[data-test=add-comment]");
        await liaison.WaitForSelectorAsync("[data-test=comment-file]");
        Assert.Contains("任免审批表.pdf · PDF", await liaison.InnerTextAsync("[data-test=comment-file]"), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "comment with a file");

        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        await office.ClickAsync("[data-test=inbox-item] a");
        Assert.Equal(2, await office.Locator("[data-test=attachment]").CountAsync()); // the submission's and the comment's
        await Accessibility.AssertNoSeriousViolationsAsync(office, "task with a file");
        await office.CheckAsync("input[name=outcome][value=accept]");
        await office.ClickAsync("[data-test=complete]");
        await office.WaitForSelectorAsync("[data-test=saved]");

        var member = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(member, "p-member-li");
        await member.ClickAsync("[data-test=inbox-item] a");
        await member.WaitForSelectorAsync("[data-test=cast-vote]");
        var link = member.Locator("[data-test=attachment-link]", new PageLocatorOptions { HasText = "周明同志考察材料.pdf" });
        Assert.Equal("周明同志考察材料.pdf", await link.InnerTextAsync());
        await Browser.ScreenshotAsync(member, "ballot-with-file.zh");
        await Accessibility.AssertNoSeriousViolationsAsync(member, "ballot with a file");

        // The link downloads the very bytes, under the Chinese name.
        var download = await member.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal("周明同志考察材料.pdf", download.SuggestedFilename);
        var saved = Path.Combine(host.DataFolder, "downloaded.pdf");
        await download.SaveAsAsync(saved);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken));
    }
}
