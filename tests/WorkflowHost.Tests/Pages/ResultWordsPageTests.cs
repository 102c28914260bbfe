using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// A case's result in its definition's words (the test workflow <c>test-labelled-result</c> labels its <c>consent</c>
/// end 准予推荐 / "Cleared to nominate", not the fixed 同意 / "Consent"), in both languages, on every page that shows a
/// result: the instance page, my cases, the ledger and its export, copied-to-me and the unit's co-building page. A
/// result its definition leaves unlabelled keeps the fixed words. Readers switch language with the header's switch.
/// </summary>
public sealed class ResultWordsPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Process = "test-labelled-result";
    private const string Unit = "unit-housing-bureau";

    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task Every_page_shows_the_result_as_the_definition_labels_it_in_both_languages()
    {
        var labelled = await DecidedAsync("结论措辞", "consent", copyTo: People.Member);
        var unlabelled = await DecidedAsync("未标注的结论", "other");
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        using var member = await CookieBrowser.SignedInAsync(fixture.Factory, People.Member);

        await AssertWordsAsync(liaison, office, member, labelled, unlabelled, "准予推荐", "同意", "不同意");

        foreach (var reader in new[] { liaison, office, member })
        {
            await SwitchLanguageAsync(reader, "en");
        }

        await AssertWordsAsync(liaison, office, member, labelled, unlabelled, "Cleared to nominate", "Consent", "No consent");
    }

    private async Task AssertWordsAsync(
        CookieBrowser liaison, CookieBrowser office, CookieBrowser member, Guid labelled, Guid unlabelled, string label, string fixedWord, string unlabelledWord)
    {
        var instance = await HtmlAsync(liaison, $"/instances/{labelled}");
        Assert.Contains($"data-test=\"result\">{label}</span>", instance, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-test=\"result\">{fixedWord}</span>", instance, StringComparison.Ordinal);
        // No end labels no-consent here, so the fixed words stand.
        Assert.Contains($"data-test=\"result\">{unlabelledWord}</span>", await HtmlAsync(liaison, $"/instances/{unlabelled}"), StringComparison.Ordinal);

        var mine = await HtmlAsync(liaison, "/mine");
        Assert.Contains($"data-test=\"result\">{label}</span>", mine, StringComparison.Ordinal);
        Assert.Contains($"data-test=\"result\">{unlabelledWord}</span>", mine, StringComparison.Ordinal);

        var ledger = await HtmlAsync(office, $"/ledger?process={Process}");
        Assert.Contains($"<td>{label}</td>", ledger, StringComparison.Ordinal);
        Assert.Contains($"<td>{unlabelledWord}</td>", ledger, StringComparison.Ordinal);

        var export = await Api.GetAsync(People.Office, $"/api/ledger/export?format=csv&process={Process}");
        Assert.Equal(HttpStatusCode.OK, export.Status);
        var csv = Encoding.UTF8.GetString((await export.Message.Content.ReadAsByteArrayAsync())[3..]);
        var row = csv.Split("\r\n").Single(l => l.StartsWith(labelled.ToString("D"), StringComparison.Ordinal));
        Assert.Contains($",{label},", row, StringComparison.Ordinal);

        var copied = await HtmlAsync(member, "/inbox?tab=copied");
        Assert.Contains($"<span class=\"tag\">{label}</span>", copied, StringComparison.Ordinal);
        Assert.DoesNotContain($"<span class=\"tag\">{fixedWord}</span>", copied, StringComparison.Ordinal);

        var unit = await HtmlAsync(liaison, $"/co-building/{Unit}");
        Assert.Contains($"{label} 1", unit, StringComparison.Ordinal);
        Assert.Contains($"{unlabelledWord} 1", unit, StringComparison.Ordinal);
    }

    /// <summary>A case of the test workflow decided by the office with <paramref name="outcome"/>, copied first when asked.</summary>
    private async Task<Guid> DecidedAsync(string title, string outcome, string? copyTo = null)
    {
        var id = await Api.SubmitAsync(People.Liaison, new JsonObject { ["title"] = title }, Process);
        if (copyTo is not null)
        {
            var copied = await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = new[] { copyTo } });
            Assert.True(copied.Status == HttpStatusCode.OK, copied.ToString());
        }

        var decided = await Api.PostAsync(People.Office, ApiDriver.Step(id, "decide#1", "complete"), new { outcome });
        Assert.True(decided.Status == HttpStatusCode.OK, decided.ToString());
        Assert.Equal("completed", (await Api.InstanceAsync(id))["status"]!.GetValue<string>());
        return id;
    }

    /// <summary>The header's language switch: a form post with the page's antiforgery token, stored on the person.</summary>
    private static async Task SwitchLanguageAsync(CookieBrowser browser, string language)
    {
        var token = PageForms.AntiforgeryToken(await HtmlAsync(browser, "/mine")) ?? "";
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/language")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["language"] = language, ["returnUrl"] = "/mine" }),
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<string> HtmlAsync(CookieBrowser browser, string path)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }
}
