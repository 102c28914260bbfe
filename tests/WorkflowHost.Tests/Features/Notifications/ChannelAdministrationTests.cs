using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Notifications;

/// <summary>
/// Per-person preferences and per-community channels through the API and the pages: a saved webhook or secret is never
/// shown back (not in the API, not in the page), only administrators manage channels, and bad input is refused.
/// </summary>
public sealed class ChannelAdministrationTests
{
    private const string Webhook = "https://oapi.dingtalk.com/robot/send?access_token=page-test-token-7f3a9c";
    private const string Secret = "SECpage-test-secret-0b1c2d3e4f";

    private static readonly string[] Sms = ["sms"];

    private static readonly string[] WeCom = ["wecom"];

    [Fact]
    public async Task A_saved_webhook_and_secret_are_never_shown_back_and_only_administrators_manage_channels()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);

        var refused = await api.SendAsync(People.Member, HttpMethod.Put, "/api/admin/channels/dingtalk", new { enabled = true, webhook = Webhook, secret = Secret });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);

        var bad = await api.SendAsync(People.Administrator, HttpMethod.Put, "/api/admin/channels/dingtalk", new { enabled = true, webhook = "not a url" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);

        var saved = await api.SendAsync(People.Administrator, HttpMethod.Put, "/api/admin/channels/dingtalk", new { enabled = true, webhook = Webhook, secret = Secret });
        Assert.Equal(HttpStatusCode.NoContent, saved.Status);

        var list = await api.GetAsync(People.Administrator, "/api/admin/channels");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var dingtalk = list.Body.AsArray().Single(c => c!["channel"]!.GetValue<string>() == "dingtalk")!;
        Assert.True(dingtalk["enabled"]!.GetValue<bool>());
        Assert.True(dingtalk["configured"]!.GetValue<bool>());
        Assert.Equal("admin page", dingtalk["source"]!.GetValue<string>());
        Assert.DoesNotContain("page-test-token", list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, list.Text, StringComparison.Ordinal);

        // Saving again with empty fields keeps what is stored (the page cannot show it, so it cannot be "edited").
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(People.Administrator, HttpMethod.Put, "/api/admin/channels/dingtalk", new { enabled = false })).Status);
        list = await api.GetAsync(People.Administrator, "/api/admin/channels");
        dingtalk = list.Body.AsArray().Single(c => c!["channel"]!.GetValue<string>() == "dingtalk")!;
        Assert.False(dingtalk["enabled"]!.GetValue<bool>());
        Assert.True(dingtalk["configured"]!.GetValue<bool>());

        using var browser = await SignedInBrowserAsync(factory, People.Administrator);
        var html = await browser.GetStringAsync("/admin/channels", TestContext.Current.CancellationToken);
        Assert.Contains("data-test=\"channels\"", html, StringComparison.Ordinal);
        Assert.Contains("dingtalk", html, StringComparison.Ordinal);
        Assert.DoesNotContain("page-test-token", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, html, StringComparison.Ordinal);

        var test = await api.PostAsync(People.Administrator, "/api/admin/channels/test", new { channel = "wecom" });
        Assert.Equal(HttpStatusCode.Accepted, test.Status);
        var unknown = await api.PostAsync(People.Administrator, "/api/admin/channels/retry", new { channel = "pigeon" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
    }

    [Fact]
    public async Task A_person_chooses_their_channels_and_the_digest_and_sees_only_a_masked_number()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);

        var before = await api.GetAsync(People.Member, "/api/me/notification-preferences");
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(["email"], before.Body["channels"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.False(before.Body["chosen"]!.GetValue<bool>());

        var saved = await api.SendAsync(People.Member, HttpMethod.Put, "/api/me/notification-preferences", new { channels = Sms, digest = true });
        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.Equal(["sms"], saved.Body["channels"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(saved.Body["digest"]!.GetValue<bool>());

        var bad = await api.SendAsync(People.Member, HttpMethod.Put, "/api/me/notification-preferences", new { channels = WeCom, digest = false });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);

        using var browser = await SignedInBrowserAsync(factory, People.Member);
        var page = await browser.GetStringAsync("/preferences", TestContext.Current.CancellationToken);
        Assert.Contains("data-test=\"preferences\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"sms\" checked", page, StringComparison.Ordinal);
    }

    private static async Task<HttpClient> SignedInBrowserAsync(HostFactory factory, string person)
    {
        var browser = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await browser.GetStringAsync("/account/login");
        using var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(login) ?? "", ["userName"] = person,
            ["password"] = WorkflowHost.Features.Accounts.DemoAccounts.Password, ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }
}
