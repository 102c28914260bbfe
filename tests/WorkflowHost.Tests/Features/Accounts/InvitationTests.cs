using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;
using static WorkflowHost.Tests.Features.Accounts.SessionTests;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// Invitation and reset links through the API (docs/api.md, "Invitations and resets"): an administrator issues one, the
/// person opens it without signing in, sets a password and signs in with it. A link works once (409), not after its
/// time (410), not after a newer one (410), not for a deactivated account (409); an unknown one is 404. Only the hash
/// of the token is stored. Development: the answer shows the link.
/// </summary>
public sealed class InvitationTests
{
    private const string NewPassword = "lantern orchard copper nine";

    [Fact]
    public async Task An_invited_person_sets_a_password_through_the_link_once_and_signs_in_with_it()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);

        var issued = await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.Member}/invitation", null);
        Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
        Assert.False(issued.Body["emailed"]!.GetValue<bool>()); // no SMTP server configured
        var token = TokenOf(issued.Body["link"]!.GetValue<string>(), "invitation");
        Assert.Equal(factory.Time.GetUtcNow().AddHours(72), issued.Body["expiresAt"]!.GetValue<DateTimeOffset>());

        var opened = await api.GetAsync(null, $"/api/account/invitation/{token}");
        Assert.True(opened.Status == HttpStatusCode.OK, opened.ToString());
        Assert.Equal(People.Member, opened.Body["personId"]!.GetValue<string>());
        Assert.Equal("李秀英", opened.Body["personName"]!.GetValue<string>());

        // A password the rules refuse changes nothing: the link still works.
        var weak = await api.PostAsync(null, $"/api/account/invitation/{token}", new { password = "password1234" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.Status);
        Assert.NotNull(weak.Body["errors"]!["password"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync(null, $"/api/account/invitation/{token}", new { password = "" })).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync(null, $"/api/account/invitation/{token}", new { password = NewPassword })).Status);
        await SignInAsync(factory, People.Member, NewPassword);
        using (var client = factory.CreateClient())
        {
            using var old = await client.PostAsync("/api/account/token", System.Net.Http.Json.JsonContent.Create(new { userName = People.Member, password = DemoAccounts.Password }));
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        // Used: both reading and using it again answer 409, and the password stays the one set.
        var again = await api.PostAsync(null, $"/api/account/invitation/{token}", new { password = "another fine long password" });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("linkUsed", again.Body["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await api.GetAsync(null, $"/api/account/invitation/{token}")).Status);
        await SignInAsync(factory, People.Member, NewPassword);

        // The token of an invitation is not a reset token, and nothing but a real token is known.
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(null, $"/api/account/reset/{token}")).Status);
        var unknown = await api.GetAsync(null, $"/api/account/invitation/{Base64Url(RandomNumberGenerator.GetBytes(32))}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("linkUnknown", unknown.Body["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(null, "/api/account/invitation/not-a-token")).Status);

        // The database holds the SHA-256 of the token, never the token.
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
        var row = await db.AccountLinks.AsNoTracking().SingleAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(FromBase64Url(token)))), row.TokenHash);
        Assert.NotNull(row.UsedAt);
    }

    [Fact]
    public async Task A_newer_link_supersedes_the_older_one_and_a_link_expires_after_its_hours()
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Accounts:LinkHours"] = "24" });
        var api = new ApiDriver(factory);
        var first = TokenOf((await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.Member}/reset", null)).Body["link"]!.GetValue<string>(), "reset");
        var second = TokenOf((await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.Member}/reset", null)).Body["link"]!.GetValue<string>(), "reset");

        var superseded = await api.PostAsync(null, $"/api/account/reset/{first}", new { password = NewPassword });
        Assert.Equal(HttpStatusCode.Gone, superseded.Status);
        Assert.Equal("linkSuperseded", superseded.Body["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(null, $"/api/account/reset/{second}")).Status);

        factory.Time.Advance(TimeSpan.FromHours(24));
        var expired = await api.PostAsync(null, $"/api/account/reset/{second}", new { password = NewPassword });
        Assert.Equal(HttpStatusCode.Gone, expired.Status);
        Assert.Equal("linkExpired", expired.Body["code"]!.GetValue<string>());
        api.ForgetTokens();
        await SignInAsync(factory, People.Member); // nothing changed: the demo password still works
    }

    [Fact]
    public async Task A_reset_ends_the_persons_other_sessions_and_a_deactivated_account_gets_no_link()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);
        var before = await SignInAsync(factory, People.Member);
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Member);
        var token = TokenOf((await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.Member}/reset", null)).Body["link"]!.GetValue<string>(), "reset");
        Assert.Equal(HttpStatusCode.OK, await MeAsync(factory, before.Access)); // issuing alone ends nothing

        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync(null, $"/api/account/reset/{token}", new { password = NewPassword })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(factory, before.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await browser.GetStatusAsync("/api/account/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(factory, before.Refresh)).Status);

        // A link issued before the deactivation stops working with it; a new one is refused.
        var pending = TokenOf((await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.Office}/invitation", null)).Body["link"]!.GetValue<string>(), "invitation");
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.Office}/deactivate", null)).Status);
        var refused = await api.PostAsync(null, $"/api/account/invitation/{pending}", new { password = NewPassword });
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("accountDeactivated", refused.Body["code"]!.GetValue<string>());
        var none = await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.Office}/invitation", null);
        Assert.Equal(HttpStatusCode.Conflict, none.Status);
        Assert.Equal("accountDeactivated", none.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_an_administrator_issues_links_and_lists_accounts()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsync(null, $"/api/admin/accounts/{People.Member}/invitation", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync(People.Secretary, $"/api/admin/accounts/{People.Member}/invitation", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync(People.Secretary, "/api/admin/accounts")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync(People.Administrator, "/api/admin/accounts/p-nobody/reset", null)).Status);

        await api.PostAsync(People.Administrator, $"/api/admin/accounts/{People.Member}/invitation", null);
        var list = (await api.GetAsync(People.Administrator, "/api/admin/accounts")).Body.AsArray();
        var member = list.Single(a => a!["personId"]!.GetValue<string>() == People.Member)!;
        Assert.Equal("invitation", member["openLinkPurpose"]!.GetValue<string>());
        var admin = list.Single(a => a!["personId"]!.GetValue<string>() == People.Administrator)!;
        Assert.True(admin["twoFactorRequired"]!.GetValue<bool>());
        Assert.False(admin["twoFactorEnabled"]!.GetValue<bool>());
        Assert.False(member["twoFactorRequired"]!.GetValue<bool>());
    }

    internal static string TokenOf(string link, string purpose)
    {
        var marker = $"/account/{purpose}/";
        Assert.Contains(marker, link, StringComparison.Ordinal);
        return link[(link.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string text) => text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (text.Length % 4)) % 4);
}
