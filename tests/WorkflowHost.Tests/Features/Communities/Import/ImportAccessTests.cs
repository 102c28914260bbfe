using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Tests.Support;
using static WorkflowHost.Tests.Features.Communities.Import.ImportScenarios;

namespace WorkflowHost.Tests.Features.Communities.Import;

/// <summary>
/// Who may import, and what is not a file: another community's administrator finds no Binhe (404), the office may read
/// but not import (403), and an upload that is not .xlsx or UTF-8 CSV is a 400 on <c>file</c> that writes nothing.
/// The template comes in the reader's language and imports as it is without adding anything.
/// </summary>
public sealed class ImportAccessTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task Another_communitys_administrator_gets_404_and_the_office_403()
    {
        await using (var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            if (!await db.People.AnyAsync(p => p.Id == "p-admin-riverside-import"))
            {
                db.People.Add(new Person
                {
                    Id = "p-admin-riverside-import", CommunityId = "riverside", NameZh = "河畔管理员", NameEn = "Riverside Admin",
                    Roles = [new PersonRole { PersonId = "p-admin-riverside-import", Role = "community-admin" }],
                });
                await db.SaveChangesAsync();
            }
        }

        await DemoAccounts.EnsureAsync(fixture.Factory.Services);
        var file = ImportFiles.Csv(ImportFiles.Valid);
        var before = await StateAsync(fixture.Factory);

        Assert.Equal(HttpStatusCode.NotFound, (await PostFileAsync(Api, "p-admin-riverside-import", $"{Binhe}/import", file, "text/csv")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostFileAsync(Api, "p-admin-riverside-import", $"{Binhe}/import/preview", file, "text/csv")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("p-admin-riverside-import", $"{Binhe}/import/template")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFileAsync(Api, People.Office, $"{Binhe}/import", file, "text/csv")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostFileAsync(Api, null, $"{Binhe}/import", file, "text/csv")).Status);
        Assert.Equal(before, await StateAsync(fixture.Factory));

        // Their own community they import into.
        var own = await PostFileAsync(Api, "p-admin-riverside-import", "/api/communities/riverside/import/preview",
            Encoding.UTF8.GetBytes("单位编号,单位名称（中文）,单位名称（英文）,单位类型,加入日期\nunit-riverside-bakery,河畔面包坊,Riverside Bakery,企业,2026-10-01\n"), "text/csv");
        Assert.True(own.Status == HttpStatusCode.OK, own.ToString());
        Assert.Equal(1, own.Body["added"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_import_page_is_the_administrators_and_another_community_is_not_found()
    {
        using var admin = await CookieBrowser.SignedInAsync(fixture.Factory, People.Administrator);
        using var page = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/admin/directory/import"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-test=\"upload\"", html, StringComparison.Ordinal);
        Assert.Contains("/api/communities/binhe/import/template?format=csv&amp;language=zh-CN", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await admin.GetStatusAsync("/admin/directory/import?community=riverside"));

        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        Assert.Equal(HttpStatusCode.Forbidden, await office.GetStatusAsync("/admin/directory/import"));
        Assert.Equal(HttpStatusCode.NotFound, await office.GetStatusAsync("/admin/directory/import?community=hilltop"));
    }

    [Theory]
    [InlineData("gbk")]
    [InlineData("xls")]
    [InlineData("broken-zip")]
    [InlineData("binary")]
    [InlineData("empty")]
    [InlineData("too-large")]
    [InlineData("unclosed-quote")]
    [InlineData("unknown-table")]
    public async Task What_is_not_an_import_file_is_a_400_on_file_or_its_header_and_writes_nothing(string kind)
    {
        byte[] file = kind switch
        {
            // "单位编号" in GBK, as an older Excel saves "CSV" on a Chinese Windows.
            "gbk" => [0xB5, 0xA5, 0xCE, 0xBB, 0xB1, 0xE0, 0xBA, 0xC5, 0x0D, 0x0A],
            "xls" => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
            "broken-zip" => [0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8],
            "binary" => [1, 0, 2, 0, 3],
            "empty" => [],
            "too-large" => Encoding.UTF8.GetBytes(new string('a', 600 * 1024)),
            "unclosed-quote" => Encoding.UTF8.GetBytes("单位编号,单位名称（中文）\n\"unit-a,名称\n"),
            _ => Encoding.UTF8.GetBytes("城堡编号,名称\ncastle-1,城堡\n"),
        };
        var before = await StateAsync(fixture.Factory);

        var reply = await PostFileAsync(Api, People.Administrator, $"{Binhe}/import/preview", file, "application/octet-stream");

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Equal("application/problem+json", reply.Message.Content.Headers.ContentType?.MediaType);
        var errors = reply.Body["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Equal(kind == "unknown-table" ? ["CSV!1 城堡编号"] : ["file"], errors);
        Assert.Equal(before, await StateAsync(fixture.Factory));
    }

    [Fact]
    public async Task The_template_comes_in_Chinese_or_English_and_imports_as_it_is_without_adding_anything()
    {
        var csv = await Api.GetAsync(People.Administrator, $"{Binhe}/import/template?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.Status);
        Assert.Contains("单位编号", csv.Text, StringComparison.Ordinal);
        Assert.Contains("#unit-xinhua-clinic", csv.Text, StringComparison.Ordinal);
        var english = await Api.GetAsync(People.Administrator, $"{Binhe}/import/template?format=csv&language=en");
        Assert.Contains("Unit id", english.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("单位编号", english.Text, StringComparison.Ordinal);

        var xlsx = await Api.GetAsync(People.Administrator, $"{Binhe}/import/template?format=xlsx");
        var workbook = await xlsx.Message.Content.ReadAsByteArrayAsync();
        Assert.Equal(XlsxType, xlsx.Message.Content.Headers.ContentType?.MediaType);

        foreach (var (file, type) in new[] { (await csv.Message.Content.ReadAsByteArrayAsync(), "text/csv"), (workbook, XlsxType) })
        {
            // Headers, hints and example are all recognised: the only complaint is that there is nothing to import.
            var reply = await PostFileAsync(Api, People.Administrator, $"{Binhe}/import/preview", file, type);
            Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
            Assert.Equal(["file"], reply.Body["errors"]!.AsObject().Select(e => e.Key));
            Assert.Contains("no rows", reply.Text, StringComparison.Ordinal);
        }
    }
}
