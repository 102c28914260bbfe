using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// Sessions end when they should (OWASP ASVS 5.0 chapter 7): logout, a password change, a lock, a deactivation, a reused
/// refresh token, and the absolute lifetimes of a cookie and of a refresh-token chain. Each replays what a thief would
/// have kept: the cookie, the access token, the refresh token.
/// </summary>
public sealed class SessionTests
{
    internal sealed record Tokens(string Access, string Refresh);

    internal static async Task<Tokens> SignInAsync(HostFactory factory, string userName, string password = DemoAccounts.Password)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/account/token", new { userName, password });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return new Tokens(body["accessToken"]!.GetValue<string>(), body["refreshToken"]!.GetValue<string>());
    }

    internal static async Task<(HttpStatusCode Status, Tokens? Tokens)> RefreshAsync(HostFactory factory, string refreshToken)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/account/refresh", new { refreshToken });
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null);
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (response.StatusCode, new Tokens(body["accessToken"]!.GetValue<string>(), body["refreshToken"]!.GetValue<string>()));
    }

    internal static async Task<HttpStatusCode> MeAsync(HostFactory factory, string accessToken, HttpMethod? method = null, string path = "/api/account/me")
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Logout_ends_the_cookie_session_so_a_cookie_saved_before_it_is_refused()
    {
        await using var factory = new HostFactory();
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Liaison);
        var saved = browser.Saved();
        Assert.Equal(HttpStatusCode.OK, await browser.GetStatusAsync("/api/account/me"));

        using var logout = await browser.LogoutAsync();
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await browser.GetStatusAsync("/api/account/me", saved));
        using var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/inbox"), saved);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/account/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_through_the_api_ends_the_bearer_session_with_its_refresh_token()
    {
        await using var factory = new HostFactory();
        var tokens = await SignInAsync(factory, People.Liaison);
        Assert.Equal(HttpStatusCode.NoContent, await MeAsync(factory, tokens.Access, HttpMethod.Post, "/api/account/logout"));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(factory, tokens.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(factory, tokens.Refresh)).Status);
    }

    [Fact]
    public async Task A_password_change_ends_every_other_session_and_token_and_keeps_the_one_that_changed_it()
    {
        await using var factory = new HostFactory();
        var other = await SignInAsync(factory, People.Member);
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Member);
        var mine = await SignInAsync(factory, People.Member);

        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/account/password")
        {
            Content = JsonContent.Create(new { currentPassword = DemoAccounts.Password, newPassword = "correct horse battery staple" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", mine.Access);
        using var changed = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(factory, other.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(factory, other.Refresh)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await browser.GetStatusAsync("/api/account/me"));

        Assert.Equal(HttpStatusCode.OK, await MeAsync(factory, mine.Access));
        var (refreshed, next) = await RefreshAsync(factory, mine.Refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(factory, next!.Access));
    }

    [Fact]
    public async Task A_locked_account_gets_nothing_with_its_cookie_bearer_token_or_refresh_token_while_the_lock_lasts()
    {
        await using var factory = new HostFactory();
        var tokens = await SignInAsync(factory, People.Office);
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Office);

        await SetLockoutAsync(factory, People.Office, DateTimeOffset.UtcNow.AddYears(10));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(factory, tokens.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await browser.GetStatusAsync("/api/account/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(factory, tokens.Refresh)).Status);

        // The lock suspends the bearer session; lifted, it goes on (the refresh token was not used up while refused).
        await SetLockoutAsync(factory, People.Office, null);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(factory, tokens.Access));
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(factory, tokens.Refresh)).Status);
    }

    [Fact]
    public async Task A_refresh_token_is_good_once_and_its_reuse_ends_the_whole_chain_and_is_logged()
    {
        await using var factory = new HostFactory();
        var first = await SignInAsync(factory, People.Liaison);
        var (status, second) = await RefreshAsync(factory, first.Refresh);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(first.Refresh, second!.Refresh);

        // The first refresh token again (a thief's copy, or the client's): refused, and the chain is over for everyone.
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(factory, first.Refresh)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(factory, second.Refresh)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(factory, second.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(factory, first.Access));

        var accountId = await AccountIdAsync(factory, People.Liaison);
        var reuse = Assert.Single(factory.Logs, l => l.Contains("Refresh token used a second time", StringComparison.Ordinal));
        Assert.Contains(accountId, reuse, StringComparison.Ordinal);
        Assert.DoesNotContain(People.Liaison, reuse, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Refresh[..20], reuse, StringComparison.Ordinal);

        // A new sign-in starts a new chain.
        var again = await SignInAsync(factory, People.Liaison);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(factory, again.Access));
    }

    [Fact]
    public async Task A_refresh_token_chain_ends_at_its_absolute_lifetime_however_often_it_is_renewed()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Accounts:RefreshTokenDays"] = "14", ["Accounts:RefreshChainDays"] = "30" });
        var tokens = await SignInAsync(factory, People.Liaison);
        for (var day = 10; day <= 20; day += 10)
        {
            factory.Time.Advance(TimeSpan.FromDays(10));
            var (status, next) = await RefreshAsync(factory, tokens.Refresh);
            Assert.True(status == HttpStatusCode.OK, $"day {day}: {status}");
            tokens = next!;
        }

        factory.Time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(factory, tokens.Refresh)).Status);
    }

    [Fact]
    public async Task A_sliding_cookie_ends_at_its_absolute_cap_however_active_its_user()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Accounts:CookieAbsoluteHours"] = "12" });
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Secretary);
        factory.Time.Advance(TimeSpan.FromHours(7));
        Assert.Equal(HttpStatusCode.OK, await browser.GetStatusAsync("/api/account/me")); // renews the 8-hour sliding cookie
        factory.Time.Advance(TimeSpan.FromHours(4));
        Assert.Equal(HttpStatusCode.OK, await browser.GetStatusAsync("/api/account/me"));

        // 4 hours since the last renewal, well inside the sliding window: only the cap ends it.
        factory.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await browser.GetStatusAsync("/api/account/me"));
    }

    [Fact]
    public async Task A_token_issued_before_sessions_existed_or_forged_without_a_session_is_refused()
    {
        await using var factory = new HostFactory();
        await using var scope = factory.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<Account>>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var bearer = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions>>()
            .Get(IdentityConstants.BearerScheme);
        var account = users.Users.First(a => a.PersonId == People.Liaison);

        // Exactly what the host issued before this change: a valid, unexpired token of the account, with no session.
        var principal = await signIn.CreateUserPrincipalAsync(account);
        var properties = new Microsoft.AspNetCore.Authentication.AuthenticationProperties { ExpiresUtc = factory.Time.GetUtcNow().AddHours(1) };
        var token = bearer.BearerTokenProtector.Protect(new Microsoft.AspNetCore.Authentication.AuthenticationTicket(principal, properties, "Identity.Bearer:AccessToken"));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(factory, token));
    }

    internal static async Task SetLockoutAsync(HostFactory factory, string personId, DateTimeOffset? until)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = users.Users.First(a => a.PersonId == personId);
        Assert.True((await users.SetLockoutEndDateAsync(account, until)).Succeeded);
    }

    internal static async Task<string> AccountIdAsync(HostFactory factory, string personId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<UserManager<Account>>().Users.First(a => a.PersonId == personId).Id;
    }
}
