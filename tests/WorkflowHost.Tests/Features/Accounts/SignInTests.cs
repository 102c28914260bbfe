using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>Sign-in: tokens, cookies, lockout, rate limit, the demo password's limits, and CSRF protection of cookie posts.</summary>
public sealed partial class SignInTests
{
    private static readonly string ProductionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> TokenAsync(HttpClient client, string userName, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/account/token", new { userName, password });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task A_bearer_token_for_the_person_id_or_the_email_and_a_refresh_token()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        var (status, body) = await TokenAsync(client, People.Liaison, DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body!["tokenType"]!.GetValue<string>());

        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/account/me");
        me.Headers.Authorization = new("Bearer", body["accessToken"]!.GetValue<string>());
        var who = JsonNode.Parse(await (await client.SendAsync(me)).Content.ReadAsStringAsync())!;
        Assert.Equal(People.Liaison, who["personId"]!.GetValue<string>());
        Assert.Equal("unit-housing-bureau", who["unitId"]!.GetValue<string>());

        var (byEmail, _) = await TokenAsync(client, "gao.feng@example.org", DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, byEmail);

        using var refresh = await client.PostAsJsonAsync("/api/account/refresh", new { refreshToken = body["refreshToken"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        using var forged = await client.PostAsJsonAsync("/api/account/refresh", new { refreshToken = "forged" });
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task Two_hosts_on_one_database_accept_each_others_tokens()
    {
        var shared = Directory.CreateTempSubdirectory("workflowhost-shared-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["Persistence:DataFolder"] = shared };
            await using var first = new HostFactory(settings);
            await using var second = new HostFactory(settings);
            var token = await new ApiDriver(first).TokenAsync(People.Liaison);
            using var client = second.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/account/me");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // The key that protected the token is in the shared database, not in a folder of one machine.
            var contexts = second.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<WorkflowHost.Persistence.WorkflowDbContext>>();
            await using var db = await contexts.CreateDbContextAsync();
            Assert.True(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.DataProtectionKeys));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(shared, recursive: true);
        }
    }

    [Fact]
    public async Task A_person_changes_their_own_password()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);
        var wrong = await api.PostAsync(People.Member, "/api/account/password", new { currentPassword = "not-it", newPassword = "Another-Passw0rd" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.NotNull(wrong.Body["errors"]!["currentPassword"]);
        var weak = await api.PostAsync(People.Member, "/api/account/password", new { currentPassword = DemoAccounts.Password, newPassword = "short" });
        Assert.NotNull(weak.Body["errors"]!["newPassword"]);
        var common = await api.PostAsync(People.Member, "/api/account/password", new { currentPassword = DemoAccounts.Password, newPassword = "password1234" });
        Assert.Contains("common", common.Body["errors"]!["newPassword"]![0]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        var changed = await api.PostAsync(People.Member, "/api/account/password", new { currentPassword = DemoAccounts.Password, newPassword = "Another-Passw0rd" });
        Assert.Equal(HttpStatusCode.NoContent, changed.Status);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(client, People.Member, DemoAccounts.Password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(client, People.Member, "Another-Passw0rd")).Status);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_even_against_the_right_password_and_the_answer_never_says_so()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        var (_, unknown) = await TokenAsync(client, "p-nobody-at-all", "wrong-password");
        for (var i = 0; i < 5; i++)
        {
            var (status, body) = await TokenAsync(client, People.Office, "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(WithoutTrace(unknown!), WithoutTrace(body!));
        }

        // Locked: even the right password is refused, with the very answer an unknown user name gets.
        var (locked, lockedBody) = await TokenAsync(client, People.Office, DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, locked);
        Assert.Equal(PasswordSignIn.FailedCode, lockedBody!["code"]!.GetValue<string>());
        Assert.Equal(WithoutTrace(unknown!), WithoutTrace(lockedBody));

        // Identity counts lockout in real time (not the TimeProvider): the account stays locked for the configured 15 minutes.
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var until = await users.GetLockoutEndDateAsync(users.Users.First(a => a.PersonId == People.Office));
        Assert.InRange(until!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        var (other, _) = await TokenAsync(client, "p-office-lu", DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, other);
    }

    /// <summary>
    /// Timing: every sign-in attempt verifies exactly one password hash, so an unknown user name, a wrong password, a
    /// locked and a deactivated account take the same work. Counted, not timed (wall time on a shared machine proves nothing).
    /// </summary>
    [Fact]
    public async Task Every_failed_sign_in_does_the_same_password_hash_work_whether_or_not_the_account_exists()
    {
        var hasher = new CountingPasswordHasher();
        await using var factory = new HostFactory();
        using var client = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddScoped<IPasswordHasher<Account>>(_ => hasher)))
            .CreateClient();

        async Task<int> VerificationsAsync(string userName, string password)
        {
            var before = hasher.Verifications;
            var (status, _) = await TokenAsync(client, userName, password);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            return hasher.Verifications - before;
        }

        Assert.Equal(1, await VerificationsAsync("p-nobody-at-all", "some-password"));
        Assert.Equal(1, await VerificationsAsync("nobody@example.org", "some-password"));
        Assert.Equal(1, await VerificationsAsync(People.Street, "some-password"));
        await SessionTests.SetLockoutAsync(factory, People.Street, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(1, await VerificationsAsync(People.Street, DemoAccounts.Password));
        var api = new ApiDriver(factory);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.InService}/deactivate", null)).Status);
        Assert.Equal(1, await VerificationsAsync(People.InService, DemoAccounts.Password));
    }

    private static string WithoutTrace(JsonNode body)
    {
        var copy = body.DeepClone().AsObject();
        copy.Remove("traceId");
        return copy.ToJsonString();
    }

    /// <summary>The host's own hasher, counting verifications.</summary>
    private sealed class CountingPasswordHasher : IPasswordHasher<Account>
    {
        private readonly PasswordHasher<Account> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(Account user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Account user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Theory]
    [InlineData("/\t/evil.com")]
    [InlineData("/\n/evil.com")]
    [InlineData("/\v/evil.com")]
    [InlineData("//evil.com")]
    [InlineData("https://evil.com/")]
    public async Task A_return_url_that_is_not_local_goes_to_the_inbox_instead_of_a_500(string escaped)
    {
        var returnUrl = System.Text.RegularExpressions.Regex.Unescape(escaped);
        await using var factory = new HostFactory();
        using var browser = new CookieBrowser(factory);
        var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account/login"));
        var token = PageForms.AntiforgeryToken(await page.Content.ReadAsStringAsync()) ?? "";
        using var language = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/language")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["language"] = "en", ["returnUrl"] = returnUrl }),
        });
        Assert.Equal(HttpStatusCode.Redirect, language.StatusCode);
        Assert.Equal("/inbox", language.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, await browser.SignInAsync(People.Liaison, DemoAccounts.Password, returnUrl));
        using var again = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        Assert.Contains("name=\"returnUrl\" value=\"/inbox\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_return_url_is_kept()
    {
        await using var factory = new HostFactory();
        using var browser = new CookieBrowser(factory);
        var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account/login"));
        var token = PageForms.AntiforgeryToken(await page.Content.ReadAsStringAsync()) ?? "";
        using var language = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/language")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["language"] = "en", ["returnUrl"] = "/account/login" }),
        });
        Assert.Equal("/account/login", language.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_authorization_header_that_is_not_a_bearer_token_does_not_exempt_a_cookie_post_from_CSRF_protection()
    {
        await using var factory = new HostFactory();
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Liaison);
        var start = new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() };
        foreach (var header in new[] { "Basic cDpx", "Negotiate abc", "bearer-ish x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(start) };
            request.Headers.TryAddWithoutValidation("Authorization", header);
            using var response = await browser.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{header}: {response.StatusCode}");
            Assert.Equal("antiforgery", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        }

        // A real bearer token is exempt, cookie or not.
        var api = new ApiDriver(factory);
        using var bearer = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(start) };
        bearer.Headers.Authorization = new("Bearer", await api.TokenAsync(People.Liaison));
        using var created = await browser.SendAsync(bearer);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Theory]
    [InlineData("correct horse battery staple", true)]
    [InlineData("zhe-shi-wo-de-mima-ma", true)]
    [InlineData("twelve chars", true)]
    [InlineData("Password12", false)]          // too short
    [InlineData("elevenchars", false)]         // too short
    [InlineData("password1234", false)]        // common
    [InlineData("Qwertyuiop123", false)]       // common, whatever the case
    [InlineData("1q2w3e4r5t6y", false)]        // a keyboard walk
    [InlineData("woaini5201314", false)]       // common in Chinese
    [InlineData("my-p-member-li-password", false)] // contains the user name
    public async Task Password_rules_follow_ASVS_length_and_a_blocklist_without_composition_rules(string password, bool accepted)
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);
        var reply = await api.PostAsync(People.Member, "/api/account/password", new { currentPassword = DemoAccounts.Password, newPassword = password });
        Assert.True((reply.Status == HttpStatusCode.NoContent) == accepted, reply.ToString());
        if (!accepted)
        {
            Assert.NotNull(reply.Body["errors"]!["newPassword"]);
        }
    }

    [Fact]
    public void The_blocklist_is_shipped_in_the_assembly_with_thousands_of_entries()
    {
        Assert.InRange(CommonPasswordValidator.Count, 3000, 100_000);
        Assert.True(CommonPasswordValidator.IsCommon("PASSWORD1234"));
        Assert.False(CommonPasswordValidator.IsCommon("correct horse battery staple"));
    }

    [Fact]
    public async Task Security_events_are_logged_by_account_id_without_names_or_tokens()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        var member = await SessionTests.AccountIdAsync(factory, People.Member);
        var office = await SessionTests.AccountIdAsync(factory, People.Office);

        var tokens = await SessionTests.SignInAsync(factory, People.Member);                       // success
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(client, "p-nobody-at-all", "not-it")).Status); // unknown
        for (var i = 0; i < 5; i++)
        {
            await TokenAsync(client, People.Office, "not-it-" + i);                                // failures, then lockout
        }

        var (_, next) = await SessionTests.RefreshAsync(factory, tokens.Refresh);
        await SessionTests.RefreshAsync(factory, tokens.Refresh);                                  // reuse
        var again = await SessionTests.SignInAsync(factory, People.Member);
        using (var change = new HttpRequestMessage(HttpMethod.Post, "/api/account/password")
        {
            Content = JsonContent.Create(new { currentPassword = DemoAccounts.Password, newPassword = "correct horse battery staple" }),
        })
        {
            change.Headers.Authorization = new("Bearer", again.Access);
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(change)).StatusCode);    // password change
        }

        Assert.Equal(HttpStatusCode.NoContent, await SessionTests.MeAsync(factory, again.Access, HttpMethod.Post, "/api/account/logout")); // logout

        var events = factory.Logs.Where(l => l.Contains(SecurityEvents.Category, StringComparison.Ordinal)).ToList();
        Assert.Contains(events, l => l.Contains("Sign-in succeeded: account " + member, StringComparison.Ordinal));
        Assert.Contains(events, l => l.Contains("Sign-in failed: account unknown, reason unknown-account", StringComparison.Ordinal));
        Assert.Equal(4, events.Count(l => l.Contains($"Sign-in failed: account {office}, reason wrong-password", StringComparison.Ordinal)));
        Assert.Contains(events, l => l.Contains("Account locked out after repeated failed sign-ins: account " + office, StringComparison.Ordinal));
        Assert.Contains(events, l => l.Contains("Refresh token used a second time: account " + member, StringComparison.Ordinal));
        Assert.Contains(events, l => l.Contains($"Password changed: account {member}, 0 other sessions ended", StringComparison.Ordinal));
        Assert.Contains(events, l => l.Contains("Signed out: account " + member, StringComparison.Ordinal));

        string[] secrets = [People.Member, People.Office, "p-nobody-at-all", "not-it", DemoAccounts.Password, "correct horse", "gao.feng@example.org",
            tokens.Access[40..80], tokens.Refresh[40..80], next!.Refresh[40..80], again.Access[40..80]];
        foreach (var line in events)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_address()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Accounts:SignInAttemptsPerMinute"] = "3" });
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await TokenAsync(client, People.Secretary, "guess-" + i)).Status);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Outside_Development_the_demo_password_is_refused_and_cannot_be_set()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Replies:VerificationKey"] = ProductionKey, ["Sealing:Key"] = ProductionKey }, environment: "Production");
        using var client = factory.CreateClient();
        var (status, body) = await TokenAsync(client, People.Secretary, DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("demoPasswordRefused", body!["code"]!.GetValue<string>());

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = users.Users.First(a => a.PersonId == People.Secretary);
        var reset = await users.ResetPasswordAsync(account, await users.GeneratePasswordResetTokenAsync(account), DemoAccounts.Password);
        Assert.Contains(reset.Errors, e => e.Code == "DemoPassword");
        reset = await users.ResetPasswordAsync(account, await users.GeneratePasswordResetTokenAsync(account), "A-real-Passw0rd");
        Assert.True(reset.Succeeded);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(client, People.Secretary, "A-real-Passw0rd")).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/scalar/v1")).StatusCode);
    }

    [Fact]
    public async Task Outside_Development_the_repository_reply_key_stops_the_host()
    {
        await using var factory = new HostFactory(
            new Dictionary<string, string?> { ["Replies:VerificationKey"] = WorkflowHost.Features.Replies.ReplyOptions.DevelopmentKey, ["Sealing:Key"] = ProductionKey }, environment: "Production");
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Replies:VerificationKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cookie_sign_in_through_the_form_and_CSRF_protection_of_cookie_posts()
    {
        await using var factory = new HostFactory();
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var page = await browser.GetStringAsync("/account/login");
        var token = PageForms.AntiforgeryToken(page) ?? "";
        Assert.NotEmpty(token);

        // A cross-site form has no token: refused, and nobody is signed in.
        using var forged = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = People.Liaison, ["password"] = DemoAccounts.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/account/me")).StatusCode);

        using var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["userName"] = People.Liaison, ["password"] = DemoAccounts.Password, ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/account/me")).StatusCode);

        // Signed in by cookie, a state-changing API call without the antiforgery header is refused...
        var start = new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() };
        using var withoutHeader = await browser.PostAsJsonAsync("/api/instances", start);
        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        Assert.Equal("antiforgery", JsonNode.Parse(await withoutHeader.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());

        // ...and accepted with it.
        var antiforgery = JsonNode.Parse(await browser.GetStringAsync("/api/account/antiforgery"))!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(start) };
        request.Headers.Add(antiforgery["headerName"]!.GetValue<string>(), antiforgery["token"]!.GetValue<string>());
        using var withHeader = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, withHeader.StatusCode);

        // A wrong password on the form: the page again, no cookie.
        var again = PageForms.AntiforgeryToken(await browser.GetStringAsync("/account/login")) ?? "";
        using var wrong = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = again, ["userName"] = People.Office, ["password"] = "nope",
        }));
        Assert.True(wrong.StatusCode == HttpStatusCode.Unauthorized, await wrong.Content.ReadAsStringAsync());
    }
}
