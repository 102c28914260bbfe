using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Attachments;

/// <summary>Files are judged by their content; a refused upload stores nothing.</summary>
public sealed class AttachmentUploadTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    public static TheoryData<string, string> EveryKind() => new()
    {
        { "pdf", "考察材料.pdf" }, { "jpeg", "照片.jpg" }, { "png", "截图.png" }, { "docx", "任免审批表.docx" }, { "xlsx", "统计表.xlsx" }, { "ofd", "电子公文.ofd" },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public async Task Every_allowed_kind_is_recognised_by_its_content_and_stored_under_its_sha256(string kind, string name)
    {
        var bytes = Sample(kind);

        var reply = await Uploads.UploadAsync(fixture.Api, People.Liaison, name, bytes);

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal(kind, reply.Body["kind"]!.GetValue<string>());
        Assert.Equal(name, reply.Body["name"]!.GetValue<string>());
        Assert.Equal(bytes.Length, reply.Body["size"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), reply.Body["sha256"]!.GetValue<string>());
        using var download = await Uploads.DownloadAsync(fixture.Api, People.Liaison, $"/api/attachments/{reply.Body["id"]}");
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("考察材料.pdf", "executable")]
    [InlineData("setup.exe", "executable")]
    [InlineData("压缩包.zip", "zip")]
    [InlineData("照片.pdf", "png")]
    [InlineData("电子公文.ofd", "zip")]
    [InlineData("电子公文.ofd", "ofd-not-at-root")]
    [InlineData("电子公文.ofd", "executable")]
    public async Task A_file_that_is_not_an_allowed_kind_or_not_what_its_name_says_is_refused_with_415_and_nothing_is_stored(string name, string content)
    {
        var bytes = content switch
        {
            "executable" => SampleFiles.Executable(), "zip" => SampleFiles.PlainZip(), "ofd-not-at-root" => SampleFiles.OfdXmlNotAtRoot(), _ => SampleFiles.Png(),
        };
        await fixture.Api.TokenAsync(People.Liaison);
        var before = await CountsAsync();

        var reply = await Uploads.UploadAsync(fixture.Api, People.Liaison, name, bytes);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
        Assert.Equal("unsupported-file", reply.Body["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(reply.Body["detail"]?.GetValue<string>()));
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("说明.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", HttpStatusCode.Created)]
    [InlineData("公文.ofd", "application/ofd", HttpStatusCode.Created)]
    [InlineData("说明.docx", "text/html", HttpStatusCode.Created)]
    [InlineData("setup.exe", "application/pdf", HttpStatusCode.UnsupportedMediaType)]
    public async Task The_declared_type_is_only_a_declaration_and_the_content_decides(string name, string declared, HttpStatusCode expected)
    {
        var bytes = name.EndsWith(".exe", StringComparison.Ordinal) ? SampleFiles.Executable() : name.EndsWith(".ofd", StringComparison.Ordinal) ? SampleFiles.Ofd() : SampleFiles.Docx();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(declared);

        var reply = await Uploads.UploadAsync(fixture.Api, People.Liaison, name, content);

        Assert.Equal(expected, reply.Status);
        Assert.Equal(expected == HttpStatusCode.Created ? null : "unsupported-file", reply.Body?["code"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_file_with_a_chinese_name_goes_on_the_case_and_comes_back_with_its_name_its_hash_in_the_journal_and_safe_headers()
    {
        const string name = "张三同志考察材料（2026年度）.pdf";
        var bytes = SampleFiles.Pdf("张三");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var fileId = await Uploads.UploadedIdAsync(fixture.Api, People.Liaison, name, bytes);
        var input = ApiDriver.ConsultationInput();
        input["materials"] = new JsonArray(fileId.ToString());

        var instanceId = await fixture.Api.SubmitAsync(People.Liaison, input);

        var stored = (await fixture.Api.InstanceAsync(instanceId))["input"]!["materials"]!.AsArray().Single()!;
        Assert.Equal(sha256, stored["sha256"]!.GetValue<string>());
        Assert.Equal(name, stored["name"]!.GetValue<string>());
        await using (var db = await Contexts().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            var started = await db.JournalEvents.Where(e => e.InstanceId == instanceId && e.Type == "InstanceStarted").SingleAsync(TestContext.Current.CancellationToken);
            Assert.Contains(sha256, started.DataJson, StringComparison.Ordinal);
            Assert.Equal(instanceId, (await db.Attachments.SingleAsync(a => a.Id == fileId, TestContext.Current.CancellationToken)).InstanceId);
        }

        // The office, who can see the case, downloads it; the name survives in filename* (RFC 5987).
        using var download = await Uploads.DownloadAsync(fixture.Api, People.Office, $"/api/attachments/{fileId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(name, download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Contains("filename*=UTF-8''", download.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.StartsWith("sandbox", download.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // A PDF may open in the browser, still in the sandbox.
        using var inline = await Uploads.DownloadAsync(fixture.Api, People.Office, $"/api/attachments/{fileId}?inline=true");
        Assert.Equal("inline", inline.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("application/pdf", inline.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("sandbox", inline.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_units_or_communitys_attachment_answers_404_as_an_unknown_id_does()
    {
        var onCase = await Uploads.UploadedIdAsync(fixture.Api, People.Liaison, "材料.pdf", SampleFiles.Pdf("idor"));
        var input = ApiDriver.ConsultationInput();
        input["materials"] = new JsonArray(onCase.ToString());
        await fixture.Api.SubmitAsync(People.Liaison, input);
        var notYetOnCase = await Uploads.UploadedIdAsync(fixture.Api, People.Liaison, "草稿.pdf", SampleFiles.Pdf("draft"));

        foreach (var id in new[] { onCase, notYetOnCase, Guid.NewGuid() })
        {
            foreach (var outsider in new[] { People.OtherLiaison, "p-liaison-riverside" })
            {
                using var response = await Uploads.DownloadAsync(fixture.Api, outsider, $"/api/attachments/{id}");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }

        // The office, who sees the whole community, sees the file on the case, not the draft no case refers to yet.
        using (var office = await Uploads.DownloadAsync(fixture.Api, People.Office, $"/api/attachments/{onCase}"))
        {
            Assert.Equal(HttpStatusCode.OK, office.StatusCode);
        }

        using var draft = await Uploads.DownloadAsync(fixture.Api, People.Office, $"/api/attachments/{notYetOnCase}");
        Assert.Equal(HttpStatusCode.NotFound, draft.StatusCode);
    }

    [Fact]
    public async Task Someone_elses_upload_cannot_be_put_on_a_case_and_the_refusal_changes_nothing()
    {
        var others = await Uploads.UploadedIdAsync(fixture.Api, People.OtherLiaison, "他人材料.pdf", SampleFiles.Pdf("other"));
        var input = ApiDriver.ConsultationInput();
        input["materials"] = new JsonArray(others.ToString());
        var before = await CountsAsync();

        var reply = await fixture.Api.PostAsync(People.Liaison, "/api/instances", new { process = "promotion-consultation", input });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("materials[0]", reply.Text, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_kind_the_field_does_not_take_is_refused_per_file()
    {
        var image = await Uploads.UploadedIdAsync(fixture.Api, People.Liaison, "照片.png", SampleFiles.Png());
        var input = ApiDriver.ConsultationInput();
        input["materials"] = new JsonArray(image.ToString());

        var reply = await fixture.Api.PostAsync(People.Liaison, "/api/instances", new { process = "promotion-consultation", input });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("PNG", reply.Body["errors"]!["input.materials[0]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comment_carries_files_and_its_journal_event_their_hashes()
    {
        var instanceId = await fixture.Api.SubmitAsync(People.Liaison);
        var bytes = SampleFiles.Docx();
        var fileId = await Uploads.UploadedIdAsync(fixture.Api, People.Office, "补充说明.docx", bytes);

        var reply = await fixture.Api.PostAsync(People.Office, $"/api/instances/{instanceId}/comments", new { text = "附补充说明。", files = new[] { fileId } });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        await using var db = await Contexts().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var comment = await db.JournalEvents.Where(e => e.InstanceId == instanceId && e.Type == "CommentAdded").SingleAsync(TestContext.Current.CancellationToken);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(bytes)), comment.DataJson, StringComparison.Ordinal);
        var listed = await fixture.Api.GetAsync(People.Office, $"/api/instances/{instanceId}/attachments");
        Assert.Equal("补充说明.docx", listed.Body.AsArray().Single()!["name"]!.GetValue<string>());
    }

    private static byte[] Sample(string kind) => kind switch
    {
        "pdf" => SampleFiles.Pdf(), "jpeg" => SampleFiles.Jpeg(), "png" => SampleFiles.Png(),
        "docx" => SampleFiles.Docx(), "xlsx" => SampleFiles.Xlsx(), _ => SampleFiles.Ofd(),
    };

    private IDbContextFactory<WorkflowDbContext> Contexts() => fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();

    private async Task<(int Uploads, int Blobs, int Chunks, int Instances)> CountsAsync()
    {
        await using var db = await Contexts().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return (await db.Attachments.CountAsync(TestContext.Current.CancellationToken), await db.AttachmentBlobs.CountAsync(TestContext.Current.CancellationToken),
            await db.AttachmentChunks.CountAsync(TestContext.Current.CancellationToken), await db.Instances.CountAsync(TestContext.Current.CancellationToken));
    }
}
