using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WorkflowHost.Testing;
using WorkflowHost.Tests.Support;
using static WorkflowHost.Tests.Features.Accounts.TwoFactorTests;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// The leak scan of accounts (the secret-ballot scan's counterpart, docs/decisions/0105): a production host with every
/// log category at Trace and a real SMTP server runs an invitation, a reset, a two-factor enrolment and sign-ins with a
/// code and a recovery code, through the pages and the API. Then no log line, and no byte of the database files, holds
/// a link token or a password set through a link; no log line holds the TOTP secret, a code or a recovery code.
/// </summary>
public sealed partial class AccountSecretsLeakScanTests
{
    [Fact]
    public async Task No_link_token_password_totp_secret_or_recovery_code_reaches_a_log_or_the_database_in_the_clear()
    {
        await using var smtp = new SmtpSink();
        var settings = ProductionSettings();
        foreach (var (key, value) in smtp.HostSettings())
        {
            settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace";
        await using var factory = new HostFactory(settings, environment: "Production");
        const string adminPassword = "harbour violet cinder ash";
        await SetPasswordAsync(factory, People.Administrator, adminPassword);
        using var client = factory.CreateClient();

        // The administrator must enrol first (production), then signs in with a code.
        using var first = await client.PostAsJsonAsync("/api/account/token", new { userName = People.Administrator, password = adminPassword });
        var enrolTicket = JsonNode.Parse(await first.Content.ReadAsStringAsync())!["twoFactorToken"]!.GetValue<string>();
        var secret = JsonNode.Parse(await (await client.PostAsJsonAsync("/api/account/two-factor/enrolment", new { twoFactorToken = enrolTicket })).Content.ReadAsStringAsync())!["secret"]!.GetValue<string>();
        var enrolCode = Authenticator.Code(secret, factory);
        using var confirm = await client.PostAsJsonAsync("/api/account/two-factor/enrolment/confirm", new { twoFactorToken = enrolTicket, code = enrolCode });
        var recovery = JsonNode.Parse(await confirm.Content.ReadAsStringAsync())!["recoveryCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        var codeTicket = await PasswordStepAsync(client, People.Administrator, adminPassword);
        var signInCode = Authenticator.Code(secret, factory);
        var (status, body) = await SecondStepAsync(client, codeTicket, code: signInCode);
        Assert.Equal(HttpStatusCode.OK, status);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body!["accessToken"]!.GetValue<string>());

        // An invitation, e-mailed and never shown; accepted on the page.
        using var invited = await client.PostAsync($"/api/admin/accounts/{People.Member}/invitation", null);
        var issued = JsonNode.Parse(await invited.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        Assert.True(issued["emailed"]!.GetValue<bool>());
        Assert.Null(issued["link"]);
        var invitation = TokenFromMail(smtp, "li.xiuying@example.org", "invitation");
        const string memberPassword = "walnut prism tundra echo";
        using var browser = new CookieBrowser(factory);
        using (var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/account/invitation/{invitation}")))
        {
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("李秀英", html, StringComparison.Ordinal);
            using var set = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/account/invitation/{invitation}")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(html)!, ["password"] = memberPassword, ["repeat"] = memberPassword,
                }),
            });
            Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
            Assert.Equal("/inbox", set.Headers.Location!.OriginalString);
        }

        Assert.Equal(HttpStatusCode.OK, await browser.GetStatusAsync("/api/account/me"));

        // A reset, used through the API; then the administrator signs in with a recovery code.
        using (await client.PostAsync($"/api/admin/accounts/{People.Member}/reset", null))
        {
        }

        var reset = TokenFromMail(smtp, "li.xiuying@example.org", "reset");
        const string resetPassword = "saffron kettle glacier owl";
        using (var used = await client.PostAsJsonAsync($"/api/account/reset/{reset}", new { password = resetPassword }))
        {
            Assert.Equal(HttpStatusCode.NoContent, used.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await browser.GetStatusAsync("/api/account/me")); // the reset ended the page session
        var recoveryTicket = await PasswordStepAsync(client, People.Administrator, adminPassword);
        Assert.Equal(HttpStatusCode.OK, (await SecondStepAsync(client, recoveryTicket, recoveryCode: recovery[0])).Status);

        string[] secrets = [invitation, reset, memberPassword, resetPassword, adminPassword, secret, enrolCode, signInCode, .. recovery,
            enrolTicket[20..60], codeTicket[20..60], recoveryTicket[20..60]];
        var logs = factory.Logs.ToList();
        Assert.Contains(logs, l => l.StartsWith("Trace Microsoft.AspNetCore", StringComparison.Ordinal)); // the scan saw the framework's own lines
        Assert.Contains(logs, l => l.Contains("Password set through a one-time link (invitation)", StringComparison.Ordinal));
        var leaks = logs.Where(line => secrets.Any(value => line.Contains(value, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log lines hold a secret:\n{string.Join('\n', leaks.Select(l => l[..Math.Min(l.Length, 200)]))}");

        // The database files (SQLite and its write-ahead log) never hold a token or a password as text.
        var stored = string.Join('\n', Directory.EnumerateFiles(factory.DataFolder, "workflowhost.db*").Select(ReadShared));
        foreach (var value in new[] { invitation, reset, memberPassword, resetPassword, adminPassword, secret })
        {
            Assert.DoesNotContain(value, stored, StringComparison.Ordinal);
        }
    }

    private static string TokenFromMail(SmtpSink smtp, string to, string purpose)
    {
        var mail = smtp.Received.Last(m => m.To == to);
        var match = Regex.Match(mail.Body, $"/account/{purpose}/([A-Za-z0-9_-]{{43}})");
        Assert.True(match.Success, mail.Body);
        return match.Groups[1].Value;
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return reader.ReadToEnd();
    }
}
