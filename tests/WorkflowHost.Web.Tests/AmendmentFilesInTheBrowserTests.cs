using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WorkflowHost.Web.Tests.Support;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// A returned file's amendment with files, in a real browser and in Chinese, axe on each new page: the unit submits two
/// PDFs, the office returns the file, the unit keeps one (its keep box ticked), removes the other (unticked) and uploads
/// a new one; the case page then lists the file's current materials by name, the amendment shows them before and after,
/// the attachments list marks the removed file as removed by that change, and the new file downloads as uploaded.
/// </summary>
public sealed partial class AmendmentFilesInTheBrowserTests
{
    private const string Kept = "考察报告.pdf";
    private const string Removed = "旧版审批表.pdf";
    private const string Added = "新版审批表.pdf";

    [Fact]
    public async Task The_unit_keeps_one_file_removes_one_and_adds_one_and_the_case_page_shows_the_files_now_on_it()
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
        await liaison.SetInputFilesAsync("[data-field=materials] input[type=file]", [Pdf(Kept), Pdf(Removed)]);
        await WaitForUploadsAsync(liaison, "[data-field=materials]", 2);
        await liaison.ClickAsync("[data-test=submit]");
        await liaison.WaitForSelectorAsync("[data-test=submitted]");
        var instanceUrl = new Uri(liaison.Url).AbsolutePath;
        Assert.Contains(Removed, await CurrentMaterialsAsync(liaison), StringComparison.Ordinal);

        var office = await browser.NewPageAsync(host.Address);
        await SignIn.AsAsync(office, "p-office-xie");
        await OpenCurrentStepAsync(office, instanceUrl);
        await office.CheckAsync("input[name=outcome][value=return]");
        await office.FillAsync("#task-comment", "审批表版本有误，请更换。");
        await office.ClickAsync("[data-test=complete]");
        await office.WaitForSelectorAsync("[data-test=saved]");

        // The amendment form lists both files with a keep box each; one is unticked, a new one uploaded.
        await OpenCurrentStepAsync(liaison, instanceUrl);
        await liaison.WaitForSelectorAsync("[data-test=amend-fields]");
        var field = liaison.Locator("[data-field='input.materials']");
        Assert.Equal(2, await field.Locator("[data-test=kept-file]").CountAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "amendment with files");
        await field.Locator("[data-test=kept-file]", new() { HasText = Removed }).Locator("[data-test=keep-file]").UncheckAsync();
        await field.Locator("input[type=file]").SetInputFilesAsync(Pdf(Added));
        await WaitForUploadsAsync(liaison, "[data-field='input.materials']", 1);
        await Accessibility.AssertNoSeriousViolationsAsync(liaison, "amendment with a file removed and one added");
        await liaison.CheckAsync("input[name=outcome][value=resubmit]");
        await liaison.ClickAsync("[data-test=complete]");
        await liaison.WaitForSelectorAsync("[data-test=saved]");

        // The case page: the file lists the kept and the new file, not the removed one; the amendment shows the change.
        await office.GotoAsync(instanceUrl);
        var current = await CurrentMaterialsAsync(office);
        Assert.Contains(Kept, current, StringComparison.Ordinal);
        Assert.Contains(Added, current, StringComparison.Ordinal);
        Assert.DoesNotContain(Removed, current, StringComparison.Ordinal);
        var change = office.Locator("[data-test=amendment] tbody tr", new() { HasText = "考察材料" });
        Assert.Equal(1, await change.CountAsync());
        var before = await change.Locator("td").Nth(1).InnerTextAsync();
        var after = await change.Locator("td").Nth(2).InnerTextAsync();
        Assert.Contains(Removed, before, StringComparison.Ordinal);
        Assert.DoesNotContain(Added, before, StringComparison.Ordinal);
        Assert.Contains(Kept, after, StringComparison.Ordinal);
        Assert.Contains(Added, after, StringComparison.Ordinal);
        Assert.DoesNotContain(Removed, after, StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "instance after an amendment with files");

        // The case's 附件 list still holds the removed file (the record is kept) but marks it: struck through, with the
        // change that removed it; the kept and the new file are not marked.
        var attachments = office.Locator("[data-test=attachments] [data-test=attachment]");
        var removedRow = attachments.Filter(new() { HasText = Removed });
        Assert.Equal("true", await removedRow.GetAttributeAsync("data-removed"));
        Assert.Equal(1, await removedRow.Locator("s [data-test=attachment-link]").CountAsync());
        var amendedAt = await office.InnerTextAsync("h2:text-is('材料修改记录') + p.meta");
        var note = await removedRow.Locator("[data-test=attachment-removed]").InnerTextAsync();
        Assert.Contains("修改材料时移除", note, StringComparison.Ordinal);
        Assert.Contains(amendedAt.Replace(" 修改", "", StringComparison.Ordinal), note, StringComparison.Ordinal);
        foreach (var name in new[] { Kept, Added })
        {
            var row = attachments.Filter(new() { HasText = name });
            Assert.Equal("false", await row.GetAttributeAsync("data-removed"));
            Assert.Equal(0, await row.Locator("s, [data-test=attachment-removed]").CountAsync());
        }

        // The office's task page lists the case's files the same way.
        await OpenCurrentStepAsync(office, instanceUrl);
        var onTask = office.Locator("[data-test=attachments] [data-test=attachment]", new() { HasText = Removed });
        Assert.Equal("true", await onTask.GetAttributeAsync("data-removed"));
        Assert.Equal(note, await onTask.Locator("[data-test=attachment-removed]").InnerTextAsync());
        await office.GotoAsync(instanceUrl);

        // The new file is the one uploaded, byte for byte.
        var link = office.Locator("[data-test=attachment-link]", new() { HasText = Added });
        var download = await office.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var saved = Path.Combine(host.DataFolder, "added.pdf");
        await download.SaveAsAsync(saved);
        Assert.Equal(Bytes(Added), await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken));
        Assert.Empty(browser.PolicyViolations);
    }

    /// <summary>A small PDF whose bytes carry its name, so every file has its own hash.</summary>
    private static FilePayload Pdf(string name) => new() { Name = name, MimeType = "application/pdf", Buffer = Bytes(name) };

    private static byte[] Bytes(string name) => Encoding.UTF8.GetBytes(
        $"%PDF-1.4\n% {name}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>The file section's 考察材料 row: the files on the case's field now.</summary>
    private static Task<string> CurrentMaterialsAsync(IPage page) => page.InnerTextAsync("dl.file dt:text-is('考察材料') + dd");

    private static async Task WaitForUploadsAsync(IPage page, string field, int count)
    {
        var uploaded = page.Locator($"{field} [data-test=uploaded-file]");
        await page.WaitForFunctionAsync(
            "([selector, count]) => document.querySelectorAll(selector).length >= count || document.querySelector('[data-test=upload-error]')",
            new object[] { $"{field} [data-test=uploaded-file]", count });
        Assert.Equal(0, await page.Locator($"{field} [data-test=upload-error]").CountAsync());
        Assert.Equal(count, await uploaded.CountAsync());
    }

    /// <summary>Opens the instance's open step from the instance page, as anyone who may act on it does.</summary>
    private static async Task OpenCurrentStepAsync(IPage page, string instanceUrl)
    {
        await page.GotoAsync(instanceUrl);
        await page.ClickAsync("main ul li a[href^='/work/']");
        await page.WaitForURLAsync(WorkPage());
    }

    [GeneratedRegex("/work/")]
    private static partial Regex WorkPage();
}
