using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>What the password step leaves for the next one: a code, or (outside Development) an enrolment first.</summary>
internal enum PendingStep
{
    Code,
    Enrol,
}

/// <summary>
/// The ticket between the password step and the code (or enrolment) step of a sign-in: the account id, its security
/// stamp, the step and an end <see cref="AccountOptions.PendingSignInMinutes"/> ahead, protected with data protection
/// (the API gives it to the client as <c>twoFactorToken</c>, the pages keep it in an HttpOnly cookie). It grants nothing
/// by itself: no session exists until the second step succeeds; a password change (new stamp) voids it.
/// </summary>
internal sealed class PendingSignIn(IDataProtectionProvider protection, UserManager<Account> users, TimeProvider time, IOptions<AccountOptions> options)
{
    public const string CookieName = "workflowhost.2fa";

    private readonly IDataProtector _protector = protection.CreateProtector("WorkflowHost.Accounts.PendingSignIn.v1");

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.PendingSignInMinutes);

    public string Issue(Account account, PendingStep step)
    {
        var ends = (time.GetUtcNow() + Lifetime).UtcTicks;
        return _protector.Protect(string.Join('\n', account.Id, account.SecurityStamp ?? "", step.ToString(), ends.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The account the ticket is for, if it is genuine, of the step asked for, not expired and its stamp unchanged.</summary>
    public async Task<Account?> ReadAsync(string? ticket, PendingStep step)
    {
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 4096)
        {
            return null;
        }

        string text;
        try
        {
            text = _protector.Unprotect(ticket);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = text.Split('\n');
        if (parts.Length != 4 || parts[2] != step.ToString()
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var ends) || time.GetUtcNow().UtcTicks >= ends)
        {
            return null;
        }

        var account = await users.FindByIdAsync(parts[0]);
        return account is { DeactivatedAt: null } && account.SecurityStamp == parts[1] && !await users.IsLockedOutAsync(account) ? account : null;
    }

    public void SetCookie(HttpContext http, string ticket) =>
        http.Response.Cookies.Append(CookieName, ticket, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/account",
            MaxAge = Lifetime,
            Secure = http.Request.IsHttps,
        });

    public static void ClearCookie(HttpContext http) => http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/account" });
}

/// <summary>
/// After a right password, whether a second step comes first (docs/decisions/0105): an enrolled account always gives a
/// code; outside Development, a person whose role is in <see cref="TwoFactorRoles"/> and who has not enrolled must enrol
/// before any session exists. In Development the demo accounts sign in with the password alone until they enrol.
/// </summary>
internal sealed class TwoFactorGate(Microsoft.EntityFrameworkCore.IDbContextFactory<Persistence.WorkflowDbContext> contexts, IHostEnvironment environment)
{
    public async Task<PendingStep?> NextStepAsync(Account account, CancellationToken cancellationToken)
    {
        if (account.TwoFactorEnabled)
        {
            return PendingStep.Code;
        }

        if (environment.IsDevelopment())
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var roles = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.PersonRoles.Where(r => r.PersonId == account.PersonId).Select(r => r.Role), cancellationToken);
        return TwoFactorRoles.RequiredFor(roles) ? PendingStep.Enrol : null;
    }
}
