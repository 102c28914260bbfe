using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>One person signed in to the pages through the real sign-in form, posting forms back with their antiforgery token.</summary>
internal sealed class PageSession : IDisposable
{
    private readonly HttpClient _client;

    private PageSession(HttpClient client) => _client = client;

    public static async Task<PageSession> SignInAsync(HostFactory factory, string person)
    {
        var session = new PageSession(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        var login = await session._client.GetStringAsync("/account/login");
        using var signIn = await session._client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(login) ?? "", ["userName"] = person, ["password"] = DemoAccounts.Password, ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return session;
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts <paramref name="fields"/> (repeated names as several pairs) to a handler of the page at <paramref name="path"/>.</summary>
    public async Task<(HttpStatusCode Status, string Html, string? Location)> PostAsync(string path, string? handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var (_, page) = await GetAsync(path);
        var all = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", PageForms.AntiforgeryToken(page) ?? "") };
        using var response = await _client.PostAsync(handler is null ? path : $"{path}?handler={handler}", new FormUrlEncodedContent(all));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }

    public void Dispose() => _client.Dispose();
}
