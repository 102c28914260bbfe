using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// The copy form (抄送) on the instance page answers a refusal with the page and the API's status for the same request:
/// 400 for a form naming nobody, 409 for someone already copied; the error stands next to the choices and nothing changes.
/// </summary>
public sealed class CopyFormPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task A_refused_copy_answers_the_api_status_with_the_error_next_to_the_choices()
    {
        var id = await Api.SubmitAsync();
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);
        var path = $"/instances/{id}";

        var (noneStatus, none) = await PostAsync(liaison, path, "Copy", [new("note", "请阅")]);
        Assert.Equal(HttpStatusCode.BadRequest, noneStatus);
        Assert.Contains("id=\"copy-to-error\"", none, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { note = "请阅" })).Status);

        var (doneStatus, _) = await PostAsync(liaison, path, "Copy", [new("to", People.Member)]);
        Assert.Equal(HttpStatusCode.Redirect, doneStatus);

        var (againStatus, again) = await PostAsync(liaison, path, "Copy", [new("to", People.Member)]);
        Assert.Equal(HttpStatusCode.Conflict, againStatus);
        Assert.Contains("id=\"copy-to-error\"", again, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = new[] { People.Member } })).Status);
        using var page = await liaison.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        var html = await page.Content.ReadAsStringAsync();
        var copies = html[html.IndexOf("data-test=\"copies\"", StringComparison.Ordinal)..];
        Assert.Equal(1, copies[..copies.IndexOf("</table>", StringComparison.Ordinal)].Split("<tr>").Length - 2); // header row + one copy
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(CookieBrowser browser, string path, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var get = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        var token = PageForms.AntiforgeryToken(await get.Content.ReadAsStringAsync()) ?? "";
        var form = fields.Append(new("__RequestVerificationToken", token)).ToList();
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{path}?handler={handler}") { Content = new FormUrlEncodedContent(form) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
