using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// Transport protections in Production (docs/reliability.md, "Transport"): the security headers on pages and API answers,
/// HSTS and HTTPS redirection, <c>Secure</c> cookies, and forwarded headers believed from the configured proxy only. The
/// proxy tests run the host on a real Kestrel port, so the connection's address is the real 127.0.0.1 and nothing about
/// the peer is faked: the host is told (or not) that 127.0.0.1 is its proxy.
/// </summary>
public sealed class TransportTests
{
    private static readonly string ProductionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 5 + 1)).ToArray());
    private static readonly string SealingKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7 + 3)).ToArray());
    private const string Password = "Transport-Test-Passphrase-2026-Secretary";
    private const string PublicHost = "workflow.binhe.example";

    private static Dictionary<string, string?> Production(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Replies:VerificationKey"] = ProductionKey, ["Sealing:Key"] = SealingKey };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task In_Production_pages_and_API_answers_carry_the_security_headers()
    {
        await using var factory = new HostFactory(Production(), environment: "Production");
        await SetPasswordAsync(factory, People.Secretary);
        using var client = factory.CreateClient(new() { BaseAddress = new Uri($"https://{PublicHost}/"), AllowAutoRedirect = false });

        using var page = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        AssertSecurityHeaders(page);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        foreach (var directive in new[] { "default-src 'self'", "frame-ancestors 'none'", "form-action 'self'" })
        {
            Assert.Contains(directive, policy, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("max-age=31536000", page.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.All(page.Headers.GetValues("Set-Cookie"), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));

        using var token = await client.PostAsJsonAsync("/api/account/token", new { userName = People.Secretary, password = Password });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        AssertSecurityHeaders(token);
        Assert.True(token.Headers.CacheControl?.NoStore, "a token answer is never stored");

        // An answer with personal data: who the caller is, and an instance list.
        var accessToken = (await token.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["accessToken"]!.GetValue<string>();
        foreach (var path in new[] { "/api/account/me", "/api/instances", "/api/inbox" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var answer = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            AssertSecurityHeaders(answer);
            Assert.True(answer.Headers.CacheControl?.NoStore, $"{path} must not be stored");
        }

        // An error answer too (the exception handler clears headers; they are set as the answer starts).
        using var missing = await client.GetAsync("/api/processes/no-such-process");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertSecurityHeaders(missing);

        // The style sheet may be cached; it still says what it is.
        using var css = await client.GetAsync("/css/site.css");
        Assert.Equal("nosniff", css.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotEqual(true, css.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Behind_the_configured_proxy_the_host_sees_HTTPS_and_the_client_address()
    {
        await using var host = await KestrelHost.StartAsync(Production(
            ("ForwardedHeaders:KnownProxies:0", "127.0.0.1"),
            ("HTTPS_PORT", "443"),
            ("Accounts:SignInAttemptsPerMinute", "3")));
        await SetPasswordAsync(host.Factory, People.Secretary);

        // The sign-in page over the proxy's TLS: HSTS is sent (the request is HTTPS) and every cookie is Secure.
        using var page = await host.SendAsync(HttpMethod.Get, "/account/login", client: "198.51.100.20");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("max-age=31536000", page.Headers.GetValues("Strict-Transport-Security").Single());
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("workflowhost.csrf", StringComparison.Ordinal));
        Assert.Contains("; secure", antiforgeryCookie, StringComparison.OrdinalIgnoreCase);

        using var signIn = await host.SendAsync(HttpMethod.Post, "/account/login", client: "198.51.100.20",
            content: new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(await page.Content.ReadAsStringAsync())!,
                ["userName"] = People.Secretary,
                ["password"] = Password,
            }),
            cookie: antiforgeryCookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var authCookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("workflowhost.auth", StringComparison.Ordinal));
        Assert.Contains("; secure", authCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", authCookie, StringComparison.OrdinalIgnoreCase);

        // The language switch's cookie as well.
        using var language = await host.SendAsync(HttpMethod.Post, "/language", client: "198.51.100.20",
            content: new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(await page.Content.ReadAsStringAsync())!,
                ["language"] = "en",
                ["returnUrl"] = "/account/login",
            }),
            cookie: antiforgeryCookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.Redirect, language.StatusCode);
        Assert.Contains("; secure", language.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("workflowhost.lang", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);

        // The sign-in limit (3 a minute here) counts per client behind the proxy, not for the proxy as a whole.
        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            first.Add((await host.TokenAsync("203.0.113.10", "wrong-" + i)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], first);
        using var other = await host.TokenAsync("203.0.113.11", Password);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        // The client cannot pick its own address: nginx appends the real one (proxy_add_x_forwarded_for), and only that last one counts.
        using var spoofed = await host.TokenAsync("203.0.113.99, 203.0.113.10", "wrong-again");
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);

        // Plain HTTP (no X-Forwarded-Proto) is sent to HTTPS; the health probe is not.
        using var plain = await host.SendAsync(HttpMethod.Get, "/inbox", client: null, proto: null);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal($"https://{PublicHost}/inbox", plain.Headers.Location!.ToString());
        using var health = await host.SendAsync(HttpMethod.Get, "/health", client: null, proto: null);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Forwarded_headers_from_a_proxy_that_is_not_configured_are_ignored()
    {
        // The host's proxy is said to be 192.0.2.1; the requests come from 127.0.0.1, which may claim anything.
        await using var host = await KestrelHost.StartAsync(Production(
            ("ForwardedHeaders:KnownProxies:0", "192.0.2.1"),
            ("Accounts:SignInAttemptsPerMinute", "3")));

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { "203.0.113.10", "203.0.113.11", "203.0.113.12", "203.0.113.13" })
        {
            statuses.Add((await host.TokenAsync(client, "wrong")).StatusCode);
        }

        // Four "different" clients share the one real address, and with it the limit.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);

        // X-Forwarded-Proto: https is not believed either: the request is plain HTTP, so no HSTS (which only HTTPS may carry).
        using var page = await host.SendAsync(HttpMethod.Get, "/account/login", client: "203.0.113.20");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        // Outside Development the cookie is Secure all the same: the host never hands out a cookie that could travel in clear.
        Assert.Contains("; secure", page.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_proxy_that_is_not_an_address_stops_the_host_at_start()
    {
        await using var factory = new HostFactory(Production(("ForwardedHeaders:KnownProxies:0", "nginx.local"), ("ForwardedHeaders:KnownNetworks:0", "10.0.8.0/33")), environment: "Production");
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("ForwardedHeaders:KnownProxies", error.Message, StringComparison.Ordinal);
        Assert.Contains("ForwardedHeaders:KnownNetworks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_cookies_work_over_plain_HTTP_and_there_is_no_HSTS()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var page = await client.GetAsync("/account/login");
        Assert.DoesNotContain("secure", page.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        AssertSecurityHeaders(page);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static async Task SetPasswordAsync(HostFactory factory, string personId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = users.Users.First(a => a.PersonId == personId);
        var reset = await users.ResetPasswordAsync(account, await users.GeneratePasswordResetTokenAsync(account), Password);
        Assert.True(reset.Succeeded, string.Join("; ", reset.Errors.Select(e => e.Description)));
    }

    /// <summary>The host on a real port, reached the way nginx reaches it: from 127.0.0.1, with the public Host and the X-Forwarded-* headers.</summary>
    private sealed class KestrelHost : IAsyncDisposable
    {
        private readonly HttpClient _http;

        private KestrelHost(HostFactory factory, Uri address)
        {
            Factory = factory;
            _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
        }

        public HostFactory Factory { get; }

        public static Task<KestrelHost> StartAsync(Dictionary<string, string?> settings)
        {
            var factory = new HostFactory(settings, environment: "Production");
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return Task.FromResult(new KestrelHost(factory, new Uri(address)));
        }

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? client, HttpContent? content = null, string? cookie = null, string? proto = "https")
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Host = PublicHost;
            if (client is not null)
            {
                request.Headers.Add("X-Forwarded-For", client);
            }

            if (proto is not null)
            {
                request.Headers.Add("X-Forwarded-Proto", proto);
            }

            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }

            return await _http.SendAsync(request);
        }

        public Task<HttpResponseMessage> TokenAsync(string client, string password) =>
            SendAsync(HttpMethod.Post, "/api/account/token", client, JsonContent.Create(new { userName = People.Secretary, password }));

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Factory.DisposeAsync();
        }
    }
}
