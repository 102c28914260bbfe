using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Tests.Support;
using static WorkflowHost.Tests.Features.Accounts.SessionTests;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// Two-factor sign-in (docs/api.md, "Two-factor sign-in"): enrolment, then the password step answers 401
/// twoFactorRequired with a token, and the second step takes a code that the test computes with Otp.NET from the secret
/// the host showed, at the host's fake time. A code is good once; a wrong one counts toward the lockout; recovery codes
/// are single use; the secret is stored sealed.
/// </summary>
public sealed class TwoFactorTests
{
    [Fact]
    public async Task An_enrolled_administrator_signs_in_with_a_computed_code_that_is_never_good_twice()
    {
        await using var factory = new HostFactory();
        var (secret, recovery) = await EnrolAsync(factory, People.Administrator);
        Assert.Equal(10, recovery.Count);
        Assert.Equal(10, recovery.Distinct(StringComparer.Ordinal).Count());

        // The code that confirmed the enrolment is spent: the same time step is refused as a replay.
        using var client = factory.CreateClient();
        var ticket = await PasswordStepAsync(client, People.Administrator);
        var replay = await SecondStepAsync(client, ticket, code: Authenticator.Code(secret, factory));
        Assert.Equal(HttpStatusCode.Unauthorized, replay.Status);
        Assert.Equal("twoFactorFailed", replay.Body!["code"]!.GetValue<string>());

        factory.Time.Advance(TimeSpan.FromSeconds(30));
        var code = Authenticator.Code(secret, factory);
        var signedIn = await SecondStepAsync(client, ticket, code: code);
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(factory, signedIn.Body!["accessToken"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SecondStepAsync(client, ticket, code: code)).Status);

        // A recovery code instead of the app, once.
        var withRecovery = await SecondStepAsync(client, ticket, recoveryCode: recovery[3].ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, withRecovery.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SecondStepAsync(client, ticket, recoveryCode: recovery[3])).Status);

        // Bad input is a 400 that names the field; a forged ticket is refused; the ticket ends after its minutes.
        Assert.Equal(HttpStatusCode.BadRequest, (await SecondStepAsync(client, ticket, code: "12ab56")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SecondStepAsync(client, ticket)).Status);
        Assert.Equal("twoFactorTokenInvalid", (await SecondStepAsync(client, "forged", code: "123456")).Body!["code"]!.GetValue<string>());
        factory.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("twoFactorTokenInvalid", (await SecondStepAsync(client, ticket, code: Authenticator.Code(secret, factory))).Body!["code"]!.GetValue<string>());

        // Stored: sealed secret (not the base32 text, not the raw bytes), hashed recovery codes.
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.PersonId == People.Administrator);
        Assert.True(account.TwoFactorEnabled);
        Assert.Equal(WorkflowHost.Persistence.Sealing.TwoFactorSeal.SealedLength, account.TwoFactorSecret!.Length);
        var raw = OtpNet.Base32Encoding.ToBytes(secret);
        Assert.DoesNotContain(Convert.ToHexString(raw), Convert.ToHexString(account.TwoFactorSecret), StringComparison.Ordinal);
        var hashes = await db.AccountRecoveryCodes.AsNoTracking().Where(c => c.AccountId == account.Id).ToListAsync();
        Assert.Equal(10, hashes.Count);
        Assert.Single(hashes, h => h.UsedAt is not null);
        Assert.DoesNotContain(hashes, h => recovery.Any(r => h.CodeHash.Contains(r.Replace("-", "", StringComparison.Ordinal), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Wrong_codes_count_toward_the_lockout_like_wrong_passwords()
    {
        await using var factory = new HostFactory();
        var (secret, _) = await EnrolAsync(factory, People.Street);
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        using var client = factory.CreateClient();
        var ticket = await PasswordStepAsync(client, People.Street);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await SecondStepAsync(client, ticket, code: Authenticator.WrongCode(secret, factory));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        }

        // Locked: the right code no longer opens a session, nor does the password.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SecondStepAsync(client, ticket, code: Authenticator.Code(secret, factory))).Status);
        var locked = await client.PostAsJsonAsync("/api/account/token", new { userName = People.Street, password = DemoAccounts.Password });
        Assert.Equal("signInFailed", JsonNode.Parse(await locked.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        Assert.True(await users.IsLockedOutAsync(users.Users.Single(a => a.PersonId == People.Street)));
        Assert.Equal(5, factory.Logs.Count(l => l.Contains("Two-factor code refused", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_sign_in_page_asks_for_the_code_after_the_password_and_only_then_starts_a_session()
    {
        await using var factory = new HostFactory();
        var (secret, _) = await EnrolAsync(factory, People.Administrator);
        factory.Time.Advance(TimeSpan.FromSeconds(30));

        using var browser = new CookieBrowser(factory);
        Assert.Equal(HttpStatusCode.Redirect, await browser.SignInAsync(People.Administrator, DemoAccounts.Password, "/admin"));
        Assert.Equal(HttpStatusCode.Unauthorized, await browser.GetStatusAsync("/api/account/me")); // no session yet
        Assert.True(browser.Cookies.ContainsKey(PendingSignIn.CookieName));

        var wrong = await PostCodeAsync(browser, "/account/two-factor?returnUrl=%2Fadmin", Authenticator.WrongCode(secret, factory));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("data-test=\"two-factor-error\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var right = await PostCodeAsync(browser, "/account/two-factor?returnUrl=%2Fadmin", Authenticator.Code(secret, factory));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/admin", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, await browser.GetStatusAsync("/api/account/me"));
        Assert.False(browser.Cookies.ContainsKey(PendingSignIn.CookieName));
    }

    [Fact]
    public async Task The_enrolment_page_shows_the_QR_code_as_inline_SVG_without_inline_style_and_the_key_as_text()
    {
        await using var factory = new HostFactory();
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Street);
        using var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account/two-factor/enrol"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var svg = html[html.IndexOf("<svg", StringComparison.Ordinal)..(html.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
        Assert.DoesNotContain("style", svg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", html, StringComparison.Ordinal);
        var secret = System.Text.RegularExpressions.Regex.Match(html, "data-test=\"secret\">([A-Z2-7]+)<").Groups[1].Value;
        Assert.Equal(32, secret.Length);

        var confirmed = await PostCodeAsync(browser, "/account/two-factor/enrol", Authenticator.Code(secret, factory), html);
        var codes = System.Text.RegularExpressions.Regex.Matches(await confirmed.Content.ReadAsStringAsync(), "<li><code>([a-z0-9-]+)</code></li>");
        Assert.Equal(10, codes.Count);
    }

    [Fact]
    public async Task Outside_Development_a_role_that_requires_two_factors_must_enrol_right_after_the_password_and_is_not_locked_out()
    {
        await using var factory = new HostFactory(ProductionSettings(), environment: "Production");
        const string password = "quartz meadow ferry lamp";
        await SetPasswordAsync(factory, People.Administrator, password);
        await SetPasswordAsync(factory, People.Member, password);
        using var client = factory.CreateClient();

        // A member's role needs no second factor.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/account/token", new { userName = People.Member, password })).StatusCode);

        using var first = await client.PostAsJsonAsync("/api/account/token", new { userName = People.Administrator, password });
        var refusal = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        Assert.Equal("twoFactorEnrolmentRequired", refusal["code"]!.GetValue<string>());
        var ticket = refusal["twoFactorToken"]!.GetValue<string>();

        // The enrolment ticket enrols and does nothing else: not a code step, not a session.
        Assert.Equal("twoFactorTokenInvalid", (await SecondStepAsync(client, ticket, code: "123456")).Body!["code"]!.GetValue<string>());
        var begun = JsonNode.Parse(await (await client.PostAsJsonAsync("/api/account/two-factor/enrolment", new { twoFactorToken = ticket })).Content.ReadAsStringAsync())!;
        var secret = begun["secret"]!.GetValue<string>();
        Assert.StartsWith("otpauth://totp/WorkflowHost%3Ap-admin-shen?secret=" + secret, begun["otpauthUri"]!.GetValue<string>(), StringComparison.Ordinal);
        using var confirm = await client.PostAsJsonAsync("/api/account/two-factor/enrolment/confirm", new { twoFactorToken = ticket, code = Authenticator.Code(secret, factory) });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/account/two-factor/enrolment", new { twoFactorToken = ticket })).StatusCode);

        factory.Time.Advance(TimeSpan.FromSeconds(30));
        var codeTicket = await PasswordStepAsync(client, People.Administrator, password);
        Assert.Equal(HttpStatusCode.OK, (await SecondStepAsync(client, codeTicket, code: Authenticator.Code(secret, factory))).Status);

        // The sign-in page sends an unenrolled street committee member to enrolment, not to an error.
        await SetPasswordAsync(factory, People.Street, password);
        using var browser = new CookieBrowser(factory);
        Assert.Equal(HttpStatusCode.Redirect, await browser.SignInAsync(People.Street, password));
        using var enrol = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account/two-factor/enrol?returnUrl=%2Finbox"));
        Assert.Equal(HttpStatusCode.OK, enrol.StatusCode);
        var enrolHtml = await enrol.Content.ReadAsStringAsync();
        var streetSecret = System.Text.RegularExpressions.Regex.Match(enrolHtml, "data-test=\"secret\">([A-Z2-7]+)<").Groups[1].Value;
        var done = await PostCodeAsync(browser, "/account/two-factor/enrol?returnUrl=%2Finbox", Authenticator.Code(streetSecret, factory), enrolHtml);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await browser.GetStatusAsync("/api/account/me"));
    }

    internal static Dictionary<string, string?> ProductionSettings()
    {
        var key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 11)).ToArray());
        return new Dictionary<string, string?> { ["Replies:VerificationKey"] = key, ["Sealing:Key"] = key };
    }

    /// <summary>What <c>set-password</c> does on the command line: how a real deployment gives its first accounts a password.</summary>
    internal static async Task SetPasswordAsync(HostFactory factory, string personId, string password)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = users.Users.First(a => a.PersonId == personId);
        Assert.True((await users.ResetPasswordAsync(account, await users.GeneratePasswordResetTokenAsync(account), password)).Succeeded);
    }

    /// <summary>Signs in by bearer token and enrolls through the API; returns the secret and the recovery codes.</summary>
    internal static async Task<(string Secret, IReadOnlyList<string> Recovery)> EnrolAsync(HostFactory factory, string personId)
    {
        var tokens = await SignInAsync(factory, personId);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Access);
        var begun = JsonNode.Parse(await (await client.PostAsJsonAsync("/api/account/two-factor/enrolment", new { })).Content.ReadAsStringAsync())!;
        var secret = begun["secret"]!.GetValue<string>();
        using var confirm = await client.PostAsJsonAsync("/api/account/two-factor/enrolment/confirm", new { code = Authenticator.Code(secret, factory) });
        var body = JsonNode.Parse(await confirm.Content.ReadAsStringAsync())!;
        Assert.True(confirm.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return (secret, [.. body["recoveryCodes"]!.AsArray().Select(c => c!.GetValue<string>())]);
    }

    internal static async Task<string> PasswordStepAsync(HttpClient client, string personId, string password = DemoAccounts.Password)
    {
        using var response = await client.PostAsJsonAsync("/api/account/token", new { userName = personId, password });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("twoFactorRequired", body["code"]!.GetValue<string>());
        return body["twoFactorToken"]!.GetValue<string>();
    }

    internal static async Task<(HttpStatusCode Status, JsonNode? Body)> SecondStepAsync(HttpClient client, string ticket, string? code = null, string? recoveryCode = null)
    {
        using var response = await client.PostAsJsonAsync("/api/account/token/two-factor", new { twoFactorToken = ticket, code, recoveryCode });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    /// <summary>A page's code form, posted with the page's own antiforgery token (fetched first unless <paramref name="html"/> is that page).</summary>
    internal static async Task<HttpResponseMessage> PostCodeAsync(CookieBrowser browser, string path, string code, string? html = null)
    {
        if (html is null)
        {
            using var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
            html = await page.Content.ReadAsStringAsync();
        }

        var token = PageForms.AntiforgeryToken(html) ?? "";
        return await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["code"] = code }),
        });
    }
}
