using System.Net;
using System.Text.RegularExpressions;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// /admin/accounts through its forms, signed in for real: the list, an invitation shown on the answer page in
/// Development (and listed as open), deactivation and reactivation, and nobody but an administrator.
/// </summary>
public sealed partial class AccountsPageTests
{
    [Fact]
    public async Task An_administrator_invites_deactivates_and_reactivates_from_the_page()
    {
        await using var factory = new HostFactory();
        using var admin = await CookieBrowser.SignedInAsync(factory, People.Administrator);
        var page = await GetAsync(admin, "/admin/accounts");
        Assert.Contains($"data-person=\"{People.Member}\"", page, StringComparison.Ordinal);

        var answer = await PostAsync(admin, "/admin/accounts?handler=Invite", page, People.Member);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var link = ShownLink().Match(answer.Html);
        Assert.True(link.Success, answer.Html);
        Assert.Contains("邀请链接", answer.Html, StringComparison.Ordinal); // listed as open, with its end

        // The link from the page works like the API's.
        var api = new ApiDriver(factory);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(null, $"/api/account/invitation/{link.Groups[1].Value}")).Status);

        var deactivated = await PostAsync(admin, "/admin/accounts?handler=Deactivate", page, People.Member);
        Assert.Equal(HttpStatusCode.Redirect, deactivated.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await api.GetAsync(null, $"/api/account/invitation/{link.Groups[1].Value}")).Status);
        Assert.Contains("已停用", await GetAsync(admin, "/admin/accounts"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin, "/admin/accounts?handler=Reactivate", page, People.Member)).Status);

        var yourself = await PostAsync(admin, "/admin/accounts?handler=Deactivate", page, People.Administrator);
        Assert.Equal("/admin/accounts?done=yourself", yourself.Location);

        using var secretary = await CookieBrowser.SignedInAsync(factory, People.Secretary);
        Assert.Equal(HttpStatusCode.Forbidden, await secretary.GetStatusAsync("/admin/accounts"));
    }

    private static async Task<string> GetAsync(CookieBrowser browser, string path)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<(HttpStatusCode Status, string Html, string? Location)> PostAsync(CookieBrowser browser, string path, string page, string personId)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(page)!, ["personId"] = personId }),
        });
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("data-test=\"shown-link\">[^<]*/account/invitation/([A-Za-z0-9_-]{43})<")]
    private static partial Regex ShownLink();
}
