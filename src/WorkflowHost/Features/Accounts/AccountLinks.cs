using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>Where a link stands when someone opens it; anything but <see cref="Valid"/> changes nothing.</summary>
internal enum LinkState
{
    Valid,

    /// <summary>No link has this token (mistyped, forged, or of another purpose): 404.</summary>
    Unknown,

    /// <summary>Already used once: 409.</summary>
    Used,

    /// <summary>Past its end: 410.</summary>
    Expired,

    /// <summary>A newer link was issued for the same account: 410.</summary>
    Superseded,

    /// <summary>The account was deactivated since: 409.</summary>
    Deactivated,
}

/// <summary>A link as its page shows it: for whom, and until when.</summary>
internal sealed record LinkView(LinkState State, string Purpose, string? PersonId, string? PersonName, DateTimeOffset? ExpiresAt);

/// <summary>A new link: the token (only here, never stored) and where it is to go.</summary>
internal sealed record IssuedLink(Guid Id, string Token, DateTimeOffset ExpiresAt, string AccountId, string PersonId, string PersonName, string? Email, string Language);

/// <summary>
/// Invitation and reset links (docs/decisions/0105): 256 random bits, kept only as their SHA-256, good once, until
/// <see cref="AccountOptions.LinkHours"/> after issue, and only while no newer link was issued for the account. Using
/// one sets the password through the same validators as every other password (<see cref="PasswordRules"/>), renews the
/// security stamp and ends every session of the account, and lifts a lockout.
/// </summary>
internal sealed class AccountLinks(
    IDbContextFactory<WorkflowDbContext> contexts,
    UserManager<Account> users,
    AccountSessions sessions,
    SecurityEvents events,
    TimeProvider time,
    IOptions<AccountOptions> options)
{
    public const int TokenBytes = 32;

    public enum IssueOutcome
    {
        Issued,
        NoSuchAccount,
        Deactivated,
    }

    public async Task<(IssueOutcome Outcome, IssuedLink? Link)> IssueAsync(string personId, string purpose, string byAccountId, CancellationToken cancellationToken)
    {
        if (purpose == AccountLink.InvitationPurpose)
        {
            await OpenAccountAsync(personId, cancellationToken);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var target = await (
                from a in db.Accounts.AsNoTracking()
                join p in db.People.AsNoTracking() on a.PersonId equals p.Id
                where a.PersonId == personId
                select new { a.Id, a.DeactivatedAt, p.NameZh, p.NameEn, p.Email, p.Language })
            .FirstOrDefaultAsync(cancellationToken);
        if (target is null)
        {
            return (IssueOutcome.NoSuchAccount, null);
        }

        if (target.DeactivatedAt is not null)
        {
            return (IssueOutcome.Deactivated, null);
        }

        var token = RandomNumberGenerator.GetBytes(TokenBytes);
        var now = time.GetUtcNow();
        var link = new AccountLink
        {
            Id = Guid.NewGuid(),
            AccountId = target.Id,
            Purpose = purpose,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + TimeSpan.FromHours(options.Value.LinkHours),
            CreatedByAccountId = byAccountId,
        };

        // The older links of the account end in the same transaction that adds the new one.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.AccountLinks.Where(l => l.AccountId == target.Id && l.UsedAt == null && l.SupersededAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.SupersededAt, now), cancellationToken);
        db.AccountLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        events.LinkIssued(purpose, target.Id, byAccountId, link.ExpiresAt);
        var name = Web.Texts.IsEnglish(target.Language) ? target.NameEn : target.NameZh;
        return (IssueOutcome.Issued, new IssuedLink(link.Id, Base64Url.EncodeToString(token), link.ExpiresAt, target.Id, personId, name, target.Email, target.Language));
    }

    /// <summary>
    /// A person added to the directory after the host started has no account yet: inviting them opens one, user name =
    /// person id, with no password (nobody can sign in to it until the invitation is used). A deactivated person gets none.
    /// </summary>
    private async Task OpenAccountAsync(string personId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId && p.DeactivatedAt == null && !db.Accounts.Any(a => a.PersonId == p.Id))
            .Select(p => new { p.Id, p.Email }).FirstOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            return;
        }

        // Two invitations at once: the second create fails on the unique user name, and the first one's account serves.
        await users.CreateAsync(new Account
        {
            PersonId = person.Id, UserName = person.Id, Email = person.Email, EmailConfirmed = person.Email is not null, LockoutEnabled = true,
        });
    }

    /// <summary>Ends a link that could not be delivered, so no one holds a token that works.</summary>
    public async Task WithdrawAsync(Guid linkId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.AccountLinks.Where(l => l.Id == linkId && l.SupersededAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.SupersededAt, now), cancellationToken);
    }

    public async Task<LinkView> ReadAsync(string purpose, string token, CancellationToken cancellationToken)
    {
        var (state, row) = await FindAsync(purpose, token, cancellationToken);
        return new LinkView(state, purpose, row?.PersonId, row?.PersonName, row?.ExpiresAt);
    }

    /// <summary>
    /// Sets the password through the link. The password is checked first (a refused one leaves the link usable); then
    /// the link is claimed in one conditional update, so of two uses at once only one gets through.
    /// </summary>
    public async Task<(LinkState State, IdentityResult? Password, Account? Account)> UseAsync(string purpose, string token, string password, CancellationToken cancellationToken)
    {
        var (state, row) = await FindAsync(purpose, token, cancellationToken);
        if (state != LinkState.Valid || await users.FindByIdAsync(row!.AccountId) is not { } account)
        {
            return (state == LinkState.Valid ? LinkState.Unknown : state, null, null);
        }

        foreach (var validator in users.PasswordValidators)
        {
            var checkedPassword = await validator.ValidateAsync(users, account, password);
            if (!checkedPassword.Succeeded)
            {
                return (LinkState.Valid, checkedPassword, null);
            }
        }

        var now = time.GetUtcNow();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var claimed = await db.AccountLinks
                .Where(l => l.Id == row.LinkId && l.UsedAt == null && l.SupersededAt == null && l.ExpiresAt > now)
                .ExecuteUpdateAsync(set => set.SetProperty(l => l.UsedAt, now), cancellationToken);
            if (claimed == 0)
            {
                return (LinkState.Used, null, null);
            }
        }

        var reset = await users.ResetPasswordAsync(account, await users.GeneratePasswordResetTokenAsync(account), password);
        if (!reset.Succeeded)
        {
            throw new InvalidOperationException("A password that passed every validator was refused: " + string.Join("; ", reset.Errors.Select(e => e.Code)));
        }

        await users.ResetAccessFailedCountAsync(account);
        await users.SetLockoutEndDateAsync(account, null);
        var ended = await sessions.EndAllAsync(account.Id, purpose == AccountLink.InvitationPurpose ? "invitation-accepted" : "password-reset", except: null, CancellationToken.None);
        events.LinkUsed(purpose, account.Id, ended);
        return (LinkState.Valid, IdentityResult.Success, account);
    }

    /// <summary>Lower-case hex of SHA-256 over the token's 32 bytes.</summary>
    public static string Hash(byte[] token) => Convert.ToHexStringLower(SHA256.HashData(token));

    private async Task<(LinkState State, LinkRow? Row)> FindAsync(string purpose, string token, CancellationToken cancellationToken)
    {
        var bytes = new byte[TokenBytes];
        if (token.Length != Base64Url.GetEncodedLength(TokenBytes) || !Base64Url.TryDecodeFromChars(token, bytes, out var length) || length != TokenBytes)
        {
            return (LinkState.Unknown, null);
        }

        var hash = Hash(bytes);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await (
                from l in db.AccountLinks.AsNoTracking()
                join a in db.Accounts.AsNoTracking() on l.AccountId equals a.Id
                join p in db.People.AsNoTracking() on a.PersonId equals p.Id
                where l.TokenHash == hash && l.Purpose == purpose
                select new LinkRow(l.Id, l.AccountId, a.PersonId, p.NameZh, l.ExpiresAt, l.UsedAt, l.SupersededAt, a.DeactivatedAt))
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return (LinkState.Unknown, null);
        }

        var state = row switch
        {
            { UsedAt: not null } => LinkState.Used,
            { SupersededAt: not null } => LinkState.Superseded,
            _ when time.GetUtcNow() >= row.ExpiresAt => LinkState.Expired,
            { DeactivatedAt: not null } => LinkState.Deactivated,
            _ => LinkState.Valid,
        };
        return (state, row);
    }

    private sealed record LinkRow(Guid LinkId, string AccountId, string PersonId, string PersonName, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt,
        DateTimeOffset? SupersededAt, DateTimeOffset? DeactivatedAt);
}
