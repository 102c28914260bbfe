using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>The directory page: the administrator adds a unit and its liaison with the forms; the office reads without forms; another community is a 404.</summary>
public sealed class DirectoryPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_administrator_adds_a_unit_and_a_liaison_from_the_page_and_the_change_journal_shows_them()
    {
        using var browser = await SignedInAsync(People.Administrator);
        var page = await browser.GetStringAsync("/admin/directory");
        Assert.Contains("data-test=\"add-unit\"", page, StringComparison.Ordinal);

        using var badUnit = await PostAsync(browser, "AddUnit", page, new()
        {
            ["community"] = "binhe", ["unit.Id"] = "unit-binhe-pharmacy", ["unit.NameZh"] = "", ["unit.NameEn"] = "Pharmacy", ["unit.Kind"] = "company", ["unit.JoinedOn"] = "2026-11-02",
        });
        Assert.Equal(HttpStatusCode.Redirect, badUnit.StatusCode);
        Assert.Contains("failed=true", badUnit.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var unit = await PostAsync(browser, "AddUnit", page, new()
        {
            ["community"] = "binhe", ["unit.Id"] = "unit-binhe-pharmacy", ["unit.NameZh"] = "滨河大药房", ["unit.NameEn"] = "Binhe Pharmacy",
            ["unit.Kind"] = "company", ["unit.JoinedOn"] = "2026-11-02", ["unit.AgreementSignedOn"] = "2026-11-02", ["unit.AgreementText"] = "共驻共建协议书",
        });
        Assert.DoesNotContain("failed=true", unit.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var person = await PostAsync(browser, "AddPerson", page, new()
        {
            ["community"] = "binhe", ["person.Id"] = "p-liaison-pharmacy", ["person.NameZh"] = "卜青", ["person.NameEn"] = "Bu Qing",
            ["person.UnitId"] = "unit-binhe-pharmacy", ["person.Language"] = "zh-CN", ["role"] = "unit-liaison", ["from"] = "2026-11-27",
        });
        Assert.DoesNotContain("failed=true", person.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var after = await browser.GetStringAsync("/admin/directory");
        Assert.Contains("data-unit=\"unit-binhe-pharmacy\"", after, StringComparison.Ordinal);
        Assert.Contains("data-person=\"p-liaison-pharmacy\"", after, StringComparison.Ordinal);
        var journal = await browser.GetStringAsync("/admin/directory/changes");
        Assert.Contains("data-kind=\"unit-added\"", journal, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"role-granted\"", journal, StringComparison.Ordinal);
        Assert.Contains("滨河大药房", journal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_office_reads_without_forms_and_another_community_is_not_found()
    {
        using var browser = await SignedInAsync(People.Office);
        var page = await browser.GetStringAsync("/admin/directory");
        Assert.Contains("data-test=\"units\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"add-unit\"", page, StringComparison.Ordinal);
        using var post = await PostAsync(browser, "EndUnit", page, new() { ["community"] = "binhe", ["unitId"] = "unit-hongxin-law-firm", ["on"] = "2026-11-27" });
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        using var other = await browser.GetAsync("/admin/directory?community=riverside");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    private async Task<HttpClient> SignedInAsync(string person)
    {
        var browser = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await browser.GetStringAsync("/account/login");
        using var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(login) ?? "", ["userName"] = person, ["password"] = DemoAccounts.Password, ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string handler, string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = PageForms.AntiforgeryToken(page) ?? "";
        return browser.PostAsync($"/admin/directory?handler={handler}", new FormUrlEncodedContent(fields));
    }
}
