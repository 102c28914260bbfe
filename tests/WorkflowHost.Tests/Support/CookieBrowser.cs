using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using WorkflowHost.Features.Accounts;

namespace WorkflowHost.Tests.Support;

/// <summary>
/// A browser as far as cookies go: it keeps the cookies the host sets (and drops the ones it deletes), and can send a
/// request with a saved copy of them instead, the way an attacker replays a stolen cookie. Signs in through the real
/// sign-in form, antiforgery token and all.
/// </summary>
public sealed class CookieBrowser(HostFactory factory) : IDisposable
{
    private readonly HttpClient _client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>The cookies as they are now, to replay later.</summary>
    public IReadOnlyDictionary<string, string> Saved() => new Dictionary<string, string>(Cookies, StringComparer.Ordinal);

    public static async Task<CookieBrowser> SignedInAsync(HostFactory factory, string userName, string password = DemoAccounts.Password)
    {
        var browser = new CookieBrowser(factory);
        var status = await browser.SignInAsync(userName, password);
        Assert.True(status == HttpStatusCode.Redirect, $"cookie sign-in of {userName}: {status}");
        return browser;
    }

    public async Task<HttpStatusCode> SignInAsync(string userName, string password, string? returnUrl = null)
    {
        using var page = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account/login"));
        var token = PageForms.AntiforgeryToken(await page.Content.ReadAsStringAsync()) ?? "";
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["userName"] = userName, ["password"] = password };
        if (returnUrl is not null)
        {
            fields["returnUrl"] = returnUrl;
        }

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = new FormUrlEncodedContent(fields) });
        return response.StatusCode;
    }

    /// <summary>The sign-out button of the pages: a form post with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> LogoutAsync()
    {
        var token = await AntiforgeryTokenAsync();
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/account/logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        });
    }

    public async Task<string> AntiforgeryTokenAsync()
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/account/antiforgery"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"antiforgery token: {response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
    }

    public async Task<HttpStatusCode> GetStatusAsync(string path, IReadOnlyDictionary<string, string>? cookies = null)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cookies);
        return response.StatusCode;
    }

    /// <summary>Sends with this browser's cookies and keeps what comes back, or with <paramref name="cookies"/> and keeps nothing.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, IReadOnlyDictionary<string, string>? cookies = null)
    {
        var jar = cookies ?? Cookies;
        if (jar.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await _client.SendAsync(request);
        if (cookies is null && response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                var pair = setCookie.Split(';', 2)[0];
                var name = pair[..pair.IndexOf('=', StringComparison.Ordinal)];
                var value = pair[(name.Length + 1)..];
                var deleted = value.Length == 0 || setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                if (deleted)
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }
        }

        return response;
    }

    public void Dispose() => _client.Dispose();
}
