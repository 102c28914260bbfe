using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
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
        var changed = await api.PostAsync(People.Member, "/api/account/password", new { currentPassword = DemoAccounts.Password, newPassword = "Another-Passw0rd" });
        Assert.Equal(HttpStatusCode.NoContent, changed.Status);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(client, People.Member, DemoAccounts.Password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(client, People.Member, "Another-Passw0rd")).Status);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_even_against_the_right_password()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var (status, body) = await TokenAsync(client, People.Office, "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(i < 4 ? "wrongCredentials" : "lockedOut", body!["code"]!.GetValue<string>());
        }

        var (locked, lockedBody) = await TokenAsync(client, People.Office, DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, locked);
        Assert.Equal("lockedOut", lockedBody!["code"]!.GetValue<string>());

        // Identity counts lockout in real time (not the TimeProvider): the account stays locked for the configured 15 minutes.
        var until = lockedBody["lockedUntil"]!.GetValue<DateTimeOffset>();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        var (other, _) = await TokenAsync(client, "p-office-lu", DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, other);
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
