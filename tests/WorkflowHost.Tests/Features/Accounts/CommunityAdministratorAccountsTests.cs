using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// A community administrator (<c>community-admin</c>) administers the accounts of their own community, through the API
/// and the page, signed in for real, and finds nobody of another community (404); neither does Binhe's administrator
/// in Riverside (decision 108: tenancy in one place).
/// </summary>
public sealed partial class CommunityAdministratorAccountsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string RiversideAdmin = "p-admin-riverside-accounts";

    private async Task EnsureRiversideAdministratorAsync()
    {
        await using (var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            if (!await db.People.AnyAsync(p => p.Id == RiversideAdmin))
            {
                db.People.Add(new Person
                {
                    Id = RiversideAdmin, CommunityId = "riverside", NameZh = "河畔管理员", NameEn = "Riverside Admin",
                    Roles = [new PersonRole { PersonId = RiversideAdmin, Role = "community-admin" }],
                });
                await db.SaveChangesAsync();
            }
        }

        await DemoAccounts.EnsureAsync(fixture.Factory.Services);
    }

    [Fact]
    public async Task A_community_administrator_invites_resets_deactivates_and_reactivates_in_their_own_community_only()
    {
        await EnsureRiversideAdministratorAsync();
        var api = fixture.Api;

        var list = await api.GetAsync(RiversideAdmin, "/api/admin/accounts");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var listed = list.Body.AsArray().Select(a => a!["personId"]!.GetValue<string>()).ToList();
        Assert.Contains("p-liaison-riverside", listed);
        Assert.DoesNotContain(People.Liaison, listed);

        var invited = await api.PostAsync(RiversideAdmin, "/api/admin/accounts/p-office-riverside/invitation", null);
        Assert.True(invited.Status == HttpStatusCode.Created, invited.ToString());
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(RiversideAdmin, "/api/admin/accounts/p-office-riverside/reset", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync(RiversideAdmin, "/api/admin/accounts/p-office-riverside/deactivate", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync(RiversideAdmin, "/api/admin/accounts/p-office-riverside/reactivate", null)).Status);

        foreach (var action in new[] { "invitation", "reset", "deactivate", "reactivate" })
        {
            var across = await api.PostAsync(RiversideAdmin, $"/api/admin/accounts/{People.Member}/{action}", null);
            Assert.True(across.Status == HttpStatusCode.NotFound, $"{action}: {across}");
            var back = await api.PostAsync(People.Administrator, $"/api/admin/accounts/p-liaison-riverside/{action}", null);
            Assert.True(back.Status == HttpStatusCode.NotFound, $"{action} by Binhe's administrator: {back}");
        }

        // Binhe's member still signs in: nothing happened to their account.
        api.ForgetTokens();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(People.Member, "/api/account/me")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("p-liaison-riverside", "/api/account/me")).Status);
    }

    [Fact]
    public async Task The_accounts_page_serves_a_community_administrator_for_their_community_and_404s_another()
    {
        await EnsureRiversideAdministratorAsync();
        using var browser = await CookieBrowser.SignedInAsync(fixture.Factory, RiversideAdmin);
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/admin/accounts"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-person=\"p-liaison-riverside\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-person=\"{People.Liaison}\"", page, StringComparison.Ordinal);

        using var invite = await PostAsync(browser, "Invite", page, "p-liaison-riverside");
        Assert.Equal(HttpStatusCode.OK, invite.StatusCode);
        Assert.Matches(ShownLink(), await invite.Content.ReadAsStringAsync());
        using var across = await PostAsync(browser, "Deactivate", page, People.Member);
        Assert.Equal(HttpStatusCode.NotFound, across.StatusCode);
        using var acrossInvite = await PostAsync(browser, "Invite", page, People.Member);
        Assert.Contains("data-test=\"accounts-message\"", await acrossInvite.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.GetAsync(People.Member, "/api/account/me")).Status);
    }

    private static Task<HttpResponseMessage> PostAsync(CookieBrowser browser, string handler, string page, string personId) =>
        browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/admin/accounts?handler={handler}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(page)!, ["personId"] = personId }),
        });

    [GeneratedRegex("data-test=\"shown-link\">[^<]*/account/invitation/[A-Za-z0-9_-]{43}<")]
    private static partial Regex ShownLink();
}
