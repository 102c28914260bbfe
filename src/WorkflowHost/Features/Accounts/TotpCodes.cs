using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using QRCoder;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Sealing;

namespace WorkflowHost.Features.Accounts;

/// <summary>What an authenticator app needs to enrol: the secret as text, the <c>otpauth://</c> URI and that URI as a QR code.</summary>
internal sealed record TotpEnrolment(string Secret, string Uri, string QrSvg);

/// <summary>The answer to a code: accepted, wrong, or a code already used in its time window.</summary>
internal enum CodeCheck
{
    Accepted,
    Wrong,
    Replayed,
}

/// <summary>
/// TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, one step either way for clock drift) with the secret sealed
/// under the sealing key (<see cref="TwoFactorSeal"/>), replay refused by remembering the last accepted time step in the
/// account row (moved forward by one conditional update, so two uses of one code at once cannot both pass), and ten
/// single-use recovery codes kept as SHA-256 hashes. Every wrong code counts toward the account's lockout, exactly as a
/// wrong password does. Time comes from <see cref="TimeProvider"/>. Scoped: it works on the request's own context, the one
/// the Identity store tracks the account in.
/// </summary>
internal sealed class TotpCodes(WorkflowDbContext db, UserManager<Account> users, StoreKeys keys, TimeProvider time, SecurityEvents events)
{
    public const string Issuer = "WorkflowHost";
    public const int RecoveryCodeCount = 10;

    /// <summary>Recovery codes avoid letters that read alike (0/o, 1/l/i).</summary>
    private const string RecoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    /// <summary>A new secret, kept sealed as the account's pending one until a code from it confirms the enrolment.</summary>
    public async Task<TotpEnrolment> BeginEnrolmentAsync(Account account, CancellationToken cancellationToken)
    {
        var secret = KeyGeneration.GenerateRandomKey(TwoFactorSeal.SecretLength);
        var sealedSecret = TwoFactorSeal.Seal(keys, account.Id, secret);
        await db.Accounts.Where(a => a.Id == account.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.PendingTwoFactorSecret, sealedSecret), cancellationToken);
        await ReloadAsync(account);

        var text = Base32Encoding.ToString(secret);
        var label = Uri.EscapeDataString($"{Issuer}:{account.UserName}");
        var uri = $"otpauth://totp/{label}?secret={text}&issuer={Issuer}&algorithm=SHA1&digits=6&period=30";
        return new TotpEnrolment(text, uri, QrSvg(uri));
    }

    /// <summary>Confirms the pending secret with a code from it; on success the ten recovery codes, shown this once.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmEnrolmentAsync(Account account, string code, CancellationToken cancellationToken)
    {
        var pending = await db.Accounts.Where(a => a.Id == account.Id).Select(a => a.PendingTwoFactorSecret).FirstOrDefaultAsync(cancellationToken);
        if (pending is null || !Matches(TwoFactorSeal.Unseal(keys, account.Id, pending), code, out var step))
        {
            await CountFailureAsync(account, "wrong-code");
            return null;
        }

        var codes = NewRecoveryCodes();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Accounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(set => set
            .SetProperty(a => a.TwoFactorSecret, pending)
            .SetProperty(a => a.PendingTwoFactorSecret, (byte[]?)null)
            .SetProperty(a => a.TwoFactorEnabled, true)
            .SetProperty(a => a.TwoFactorLastTimeStep, step)
            .SetProperty(a => a.ConcurrencyStamp, Guid.NewGuid().ToString()), cancellationToken);
        await db.AccountRecoveryCodes.Where(c => c.AccountId == account.Id).ExecuteDeleteAsync(cancellationToken);
        db.AccountRecoveryCodes.AddRange(codes.Select(c => new AccountRecoveryCode { Id = Guid.NewGuid(), AccountId = account.Id, CodeHash = RecoveryHash(account.Id, c) }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ReloadAsync(account);
        events.TwoFactorEnrolled(account.Id);
        return codes;
    }

    /// <summary>A code from the authenticator at sign-in; a wrong or replayed one counts toward lockout.</summary>
    public async Task<CodeCheck> VerifyAsync(Account account, string code, CancellationToken cancellationToken)
    {
        var sealedSecret = await db.Accounts.Where(a => a.Id == account.Id).Select(a => a.TwoFactorSecret).FirstOrDefaultAsync(cancellationToken);
        if (sealedSecret is null || !Matches(TwoFactorSeal.Unseal(keys, account.Id, sealedSecret), code, out var step))
        {
            await CountFailureAsync(account, "wrong-code");
            return CodeCheck.Wrong;
        }

        // Only a time step later than the last accepted one moves the mark: a code seen once is never good again.
        var moved = await db.Accounts
            .Where(a => a.Id == account.Id && (a.TwoFactorLastTimeStep == null || a.TwoFactorLastTimeStep < step))
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.TwoFactorLastTimeStep, step).SetProperty(a => a.ConcurrencyStamp, Guid.NewGuid().ToString()), cancellationToken);
        if (moved == 0)
        {
            await CountFailureAsync(account, "replayed-code");
            return CodeCheck.Replayed;
        }

        await ReloadAsync(account);
        await users.ResetAccessFailedCountAsync(account);
        return CodeCheck.Accepted;
    }

    /// <summary>A recovery code instead of the authenticator: each is good once (claimed by one conditional update).</summary>
    public async Task<bool> RedeemRecoveryCodeAsync(Account account, string code, CancellationToken cancellationToken)
    {
        var hash = RecoveryHash(account.Id, code);
        var now = time.GetUtcNow();
        var claimed = await db.AccountRecoveryCodes.Where(c => c.AccountId == account.Id && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await CountFailureAsync(account, "wrong-recovery-code");
            return false;
        }

        var left = await db.AccountRecoveryCodes.CountAsync(c => c.AccountId == account.Id && c.UsedAt == null, cancellationToken);
        events.RecoveryCodeUsed(account.Id, left);
        await users.ResetAccessFailedCountAsync(account);
        return true;
    }

    public async Task<int> RecoveryCodesLeftAsync(string accountId, CancellationToken cancellationToken)
    {
        return await db.AccountRecoveryCodes.CountAsync(c => c.AccountId == accountId && c.UsedAt == null, cancellationToken);
    }

    /// <summary>The time step a code matches within the window, if any. Codes are digits only; anything else is wrong.</summary>
    private bool Matches(byte[] secret, string code, out long step)
    {
        step = 0;
        var digits = code.Replace(" ", "", StringComparison.Ordinal);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit)
            && new Totp(secret).VerifyTotp(time.GetUtcNow().UtcDateTime, digits, out step, Window);
    }

    /// <summary>The failure counts as a failed sign-in: after <c>Accounts:MaxFailedAttempts</c> the account is locked.</summary>
    private async Task CountFailureAsync(Account account, string reason)
    {
        await ReloadAsync(account);
        await users.AccessFailedAsync(account);
        events.TwoFactorFailed(account.Id, reason);
        if (await users.IsLockedOutAsync(account))
        {
            events.LockedOut(account.Id, await users.GetLockoutEndDateAsync(account));
        }
    }

    /// <summary>
    /// The Identity store writes the whole row on every update; after a conditional update of our own, the tracked copy
    /// must be read again, or the next update would write the old time step (and reopen a replay) back.
    /// </summary>
    private async Task ReloadAsync(Account account)
    {
        var entry = db.Entry(account);
        if (entry.State != EntityState.Detached)
        {
            await entry.ReloadAsync();
        }
    }

    public static string RecoveryHash(string accountId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"wfh-recovery-code-v1\n{accountId}\n{Normalise(code)}")));

    private static string Normalise(string code) => new([.. code.Trim().ToLowerInvariant().Where(c => c != '-' && c != ' ')]);

    private static List<string> NewRecoveryCodes() =>
    [
        .. Enumerable.Range(0, RecoveryCodeCount).Select(_ =>
        {
            var chars = RandomNumberGenerator.GetItems<char>(RecoveryAlphabet, 10);
            return $"{new string(chars, 0, 5)}-{new string(chars, 5, 5)}";
        }),
    ];

    /// <summary>
    /// The QR code as inline SVG drawn from its module matrix: one path, no style attribute (the pages'
    /// Content-Security-Policy allows no inline style) and no data: image (nor does it allow those).
    /// </summary>
    private static string QrSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var size = data.ModuleMatrix.Count;
        var path = new StringBuilder();
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                if (data.ModuleMatrix[y][x])
                {
                    path.Append(System.Globalization.CultureInfo.InvariantCulture, $"M{x},{y}h1v1h-1z");
                }
            }
        }

        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\" role=\"img\">"
            + $"<rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>";
    }
}
