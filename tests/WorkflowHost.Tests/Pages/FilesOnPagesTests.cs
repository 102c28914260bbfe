using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Features.Attachments;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// Files in the pages' forms, signed in through the sign-in form: the comment box takes files where the process allows
/// them and lists each comment's files; a returned file's amendment form lists the files already attached, each kept
/// or removed, and new ones added, and the office sees the change by name and hash.
/// </summary>
public sealed class FilesOnPagesTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    private static string Work(Guid id, string step) => $"/work/{id}/{Uri.EscapeDataString(step)}";

    private static async Task<string> GetAsync(CookieBrowser browser, string path)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a form as a browser does: the page's antiforgery token, and a name repeated for each file.</summary>
    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(CookieBrowser browser, string path, string handler, List<KeyValuePair<string, string>> fields)
    {
        fields.Add(new("__RequestVerificationToken", PageForms.AntiforgeryToken(await GetAsync(browser, path)) ?? ""));
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{path}?handler={handler}") { Content = new FormUrlEncodedContent(fields) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_comment_from_the_instance_page_carries_files_that_every_reader_of_the_case_sees_listed_with_a_download_link()
    {
        var id = await Api.SubmitAsync();
        var pdf = SampleFiles.Pdf("会议通知");
        var scan = await Uploads.UploadedIdAsync(Api, People.Liaison, "会议通知.pdf", pdf);
        var sheet = await Uploads.UploadedIdAsync(Api, People.Liaison, "名单.xlsx", SampleFiles.Xlsx());
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);

        var form = await GetAsync(liaison, $"/instances/{id}");
        Assert.Contains("data-upload data-name=\"files\" data-max-files=\"3\"", form, StringComparison.Ordinal);

        var (status, _) = await PostAsync(liaison, $"/instances/{id}", "Comment",
            [new("text", "会议通知和名单见附件。"), new("files", scan.ToString()), new("files", sheet.ToString())]);
        Assert.Equal(HttpStatusCode.Redirect, status);

        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var work = await GetAsync(office, Work(id, "office-check#1"));
        Assert.Equal(2, Count(work, "data-test=\"comment-file\""));
        Assert.Contains($"<a href=\"/files/{scan}\" data-test=\"comment-file-link\">会议通知.pdf</a>", work, StringComparison.Ordinal);
        Assert.Contains("· PDF · " + WorkflowHost.Web.Texts.Size(pdf.Length), work, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/files/{sheet}\" data-test=\"comment-file-link\">名单.xlsx</a>", work, StringComparison.Ordinal);

        var comment = (await Api.GetAsync(People.Office, $"/api/instances/{id}/comments")).Body.AsArray().Single()!;
        var files = comment["files"]!.AsArray();
        Assert.Equal([scan, sheet], files.Select(f => f!["id"]!.GetValue<Guid>()));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), files[0]!["sha256"]!.GetValue<string>());
        using var download = await Uploads.DownloadAsync(Api, People.Office, $"/files/{scan}");
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_comment_with_more_files_than_the_process_takes_is_refused_next_to_its_files_which_are_shown_again_and_stay_off_the_case()
    {
        var id = await Api.SubmitAsync();
        var uploads = new List<Guid>();
        for (var i = 1; i <= 4; i++)
        {
            uploads.Add(await Uploads.UploadedIdAsync(Api, People.Office, $"附件{i}.pdf", SampleFiles.Pdf($"附件{i}")));
        }

        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var fields = new List<KeyValuePair<string, string>> { new("text", "四个附件。") };
        fields.AddRange(uploads.Select(u => new KeyValuePair<string, string>("files", u.ToString())));

        var (status, html) = await PostAsync(office, Work(id, "office-check#1"), "Comment", fields);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("id=\"f-files-error\"", html, StringComparison.Ordinal);
        Assert.Equal(4, Count(html, "data-test=\"keep-file\""));
        Assert.Contains("附件4.pdf · PDF", html, StringComparison.Ordinal);
        Assert.Contains("四个附件。</textarea>", html, StringComparison.Ordinal);
        Assert.Empty((await Api.GetAsync(People.Office, $"/api/instances/{id}/comments")).Body.AsArray());
        await using var db = await Contexts().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4, await db.Attachments.CountAsync(a => uploads.Contains(a.Id) && a.InstanceId == null, TestContext.Current.CancellationToken));

        // A forged value where an id belongs is refused the same way, and changes nothing.
        var (forged, forgedHtml) = await PostAsync(office, Work(id, "office-check#1"), "Comment", [new("text", "x"), new("files", "../etc/passwd")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged);
        Assert.Contains("id=\"f-files-error\"", forgedHtml, StringComparison.Ordinal);
        Assert.Empty((await Api.GetAsync(People.Office, $"/api/instances/{id}/comments")).Body.AsArray());
    }

    [Fact]
    public async Task The_amendment_form_lists_the_files_attached_one_is_removed_one_kept_without_uploading_it_again_and_one_added()
    {
        var kept = SampleFiles.Pdf("考察报告");
        var removed = SampleFiles.Pdf("旧任免审批表");
        var added = SampleFiles.Ofd();
        var keptId = await Uploads.UploadedIdAsync(Api, People.Liaison, "考察报告.pdf", kept);
        var removedId = await Uploads.UploadedIdAsync(Api, People.Liaison, "旧任免审批表.pdf", removed);
        var input = ApiDriver.ConsultationInput();
        input["materials"] = new JsonArray(keptId.ToString(), removedId.ToString());
        var id = await Api.SubmitAsync(input: input);
        var before = (await Api.InstanceAsync(id))["input"]!["materials"]!.ToJsonString();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, "office-check#1", "complete"), new { outcome = "return", comment = "请更新任免审批表。" })).Status);
        var amend = (await Api.InstanceAsync(id))["currentSteps"]![0]!["stepId"]!.GetValue<string>();
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);

        var page = await GetAsync(liaison, Work(id, amend));
        Assert.Contains($"name=\"input.materials\" value=\"{keptId}\" checked", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"input.materials\" value=\"{removedId}\" checked", page, StringComparison.Ordinal);
        Assert.Contains("旧任免审批表.pdf · PDF", page, StringComparison.Ordinal);

        // The page's upload control sends the new file; the form sends the kept file's id and leaves the removed one unticked.
        var addedId = await Uploads.UploadedIdAsync(Api, People.Liaison, "任免审批表.ofd", added);
        var (uploadsBefore, blobsBefore) = await CountsAsync();
        var fields = ApiDriver.ConsultationInput().Select(p => new KeyValuePair<string, string>("input." + p.Key, p.Value!.ToString())).ToList();
        fields.AddRange([new("outcome", "resubmit"), new("input.materials", keptId.ToString()), new("input.materials", addedId.ToString())]);
        var (status, _) = await PostAsync(liaison, Work(id, amend), "Complete", fields);
        Assert.Equal(HttpStatusCode.Redirect, status);

        var materials = (await Api.InstanceAsync(id))["input"]!["materials"]!.AsArray();
        Assert.Equal([keptId, addedId], materials.Select(m => m!["id"]!.GetValue<Guid>()));
        Assert.Equal(JsonNode.Parse(before)![0]!.ToJsonString(), materials[0]!.ToJsonString()); // the kept reference, unchanged
        Assert.Equal((uploadsBefore, blobsBefore), await CountsAsync()); // nothing was uploaded or stored again
        await using (var db = await Contexts().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal(id, (await db.Attachments.SingleAsync(a => a.Id == addedId, TestContext.Current.CancellationToken)).InstanceId);
            Assert.Equal(1, await db.Attachments.CountAsync(a => a.Sha256 == Sha(kept), TestContext.Current.CancellationToken));
        }

        // The journal's amendment has the field before and after, each file by name and hash.
        var amendment = (await Api.InstanceAsync(id, People.Office))["amendments"]!.AsArray().Single()!["changes"]!.AsArray().Single(c => c!["field"]!.GetValue<string>() == "materials")!;
        Assert.Equal(["考察报告.pdf", "旧任免审批表.pdf"], amendment["before"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal([Sha(kept), Sha(removed)], amendment["before"]!.AsArray().Select(f => f!["sha256"]!.GetValue<string>()));
        Assert.Equal([Sha(kept), Sha(added)], amendment["after"]!.AsArray().Select(f => f!["sha256"]!.GetValue<string>()));

        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var instancePage = await GetAsync(office, $"/instances/{id}");
        Assert.Contains($"旧任免审批表.pdf · SHA-256 {Sha(removed)[..16]}…", instancePage, StringComparison.Ordinal);
        Assert.Contains($"任免审批表.ofd · SHA-256 {Sha(added)[..16]}…", instancePage, StringComparison.Ordinal);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static int Count(string html, string marker) => html.Split(marker).Length - 1;

    private Microsoft.EntityFrameworkCore.IDbContextFactory<WorkflowDbContext> Contexts() =>
        fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();

    private async Task<(int Uploads, int Blobs)> CountsAsync()
    {
        await using var db = await Contexts().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return (await db.Attachments.CountAsync(TestContext.Current.CancellationToken), await db.AttachmentBlobs.CountAsync(TestContext.Current.CancellationToken));
    }
}
