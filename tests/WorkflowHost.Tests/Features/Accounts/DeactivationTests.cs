using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Tests.Support;
using static WorkflowHost.Tests.Features.Accounts.SessionTests;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// An administrator deactivates an account on one host, and every session and token of it stops at once on the other
/// host too: two hosts on one database (a SQLite file, and a PostgreSQL database), as two machines behind a balancer.
/// </summary>
public sealed class DeactivationTests
{
    [Fact]
    public async Task Deactivation_on_one_host_stops_every_session_and_token_on_the_other_SQLite()
    {
        var shared = Directory.CreateTempSubdirectory("workflowhost-shared-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["Persistence:DataFolder"] = shared };
            await using var first = new HostFactory(settings);
            await using var second = new HostFactory(settings);
            await DeactivateAcrossHostsAsync(first, second);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(shared, recursive: true);
        }
    }

    [Fact]
    public async Task Deactivation_on_one_host_stops_every_session_and_token_on_the_other_PostgreSql()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var first = new HostFactory(postgreSql: database);
        await using var second = new HostFactory(postgreSql: database);
        await DeactivateAcrossHostsAsync(first, second);
    }

    [Fact]
    public async Task Only_an_administrator_deactivates_and_not_their_own_account()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsync(null, $"/api/admin/accounts/{People.Member}/deactivate", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync(People.Secretary, $"/api/admin/accounts/{People.Member}/deactivate", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync(People.Administrator, "/api/admin/accounts/p-nobody/deactivate", null)).Status);
        var own = await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.Administrator}/deactivate", null);
        Assert.Equal(HttpStatusCode.Conflict, own.Status);
        Assert.Equal("ownAccount", own.Body["code"]!.GetValue<string>());

        // By cookie, an administrator's post needs the antiforgery header like any other.
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Administrator);
        using var forged = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/admin/accounts/{People.Member}/deactivate"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/accounts/{People.Member}/deactivate");
        request.Headers.Add(AccountsRegistration.AntiforgeryHeader, await browser.AntiforgeryTokenAsync());
        using var done = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
    }

    private static async Task DeactivateAcrossHostsAsync(HostFactory first, HostFactory second)
    {
        // The member is signed in on the first host by token and on the second by cookie.
        var tokens = await SignInAsync(first, People.Member);
        using var browser = await CookieBrowser.SignedInAsync(second, People.Member);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(second, tokens.Access));
        Assert.Equal(HttpStatusCode.OK, await browser.GetStatusAsync("/api/account/me"));

        // The administrator deactivates the account on the second host.
        var admin = await SignInAsync(second, People.Administrator);
        Assert.Equal(HttpStatusCode.NoContent, await MeAsync(second, admin.Access, HttpMethod.Post, $"/api/admin/accounts/{People.Member}/deactivate"));

        // The next request stops, on either host, whatever it carries.
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(first, tokens.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(second, tokens.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(first, tokens.Refresh)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await browser.GetStatusAsync("/api/account/me"));

        // A deactivated account cannot sign in, and is told no more than anyone with a wrong password.
        using var client = first.CreateClient();
        using var refused = await client.PostAsJsonAsync("/api/account/token", new { userName = People.Member, password = DemoAccounts.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(PasswordSignIn.FailedCode, JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());

        // Reactivated, it signs in afresh; what was ended stays ended.
        Assert.Equal(HttpStatusCode.NoContent, await MeAsync(first, admin.Access, HttpMethod.Post, $"/api/admin/accounts/{People.Member}/reactivate"));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(second, tokens.Access));
        var fresh = await SignInAsync(first, People.Member);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(second, fresh.Access));

        var accountId = await AccountIdAsync(first, People.Member);
        var logged = Assert.Single(second.Logs, l => l.Contains("Account deactivated", StringComparison.Ordinal));
        Assert.Contains(accountId, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(People.Member, logged, StringComparison.Ordinal);
    }
}
