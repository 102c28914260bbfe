using System.Security.Cryptography;
using System.Text;

namespace WorkflowHost.Persistence.Sealing;

/// <summary>
/// Seals an account's TOTP secret: AES-256-GCM under the two-factor key of <see cref="StoreKeys"/> (derived from
/// <c>Sealing:Key</c>, which is not in the database), a random nonce, and the account id as associated data, so a
/// sealed secret copied onto another account does not open. Not the Data Protection key ring: it lives in the database
/// (decision 20), and whoever read the database would then hold every second factor too (docs/decisions/0105).
/// </summary>
public static class TwoFactorSeal
{
    private const byte Version = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    /// <summary>TOTP secrets are 20 bytes (160 bits, RFC 4226's recommendation).</summary>
    public const int SecretLength = 20;

    public const int SealedLength = 1 + NonceLength + SecretLength + TagLength;

    public static byte[] Seal(StoreKeys keys, string accountId, byte[] secret)
    {
        if (secret.Length != SecretLength)
        {
            throw new ArgumentException($"A TOTP secret is {SecretLength} bytes.", nameof(secret));
        }

        var sealedSecret = new byte[SealedLength];
        sealedSecret[0] = Version;
        var nonce = sealedSecret.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.TwoFactorKey, TagLength);
        aes.Encrypt(nonce, secret, sealedSecret.AsSpan(1 + NonceLength, SecretLength), sealedSecret.AsSpan(1 + NonceLength + SecretLength, TagLength),
            AssociatedData(accountId));
        return sealedSecret;
    }

    /// <summary>The secret, or an exception if the value was altered, moved to another account or sealed under another key.</summary>
    public static byte[] Unseal(StoreKeys keys, string accountId, byte[] sealedSecret)
    {
        if (sealedSecret.Length != SealedLength || sealedSecret[0] != Version)
        {
            throw new CryptographicException("A sealed two-factor secret is malformed.");
        }

        var secret = new byte[SecretLength];
        using var aes = new AesGcm(keys.TwoFactorKey, TagLength);
        aes.Decrypt(sealedSecret.AsSpan(1, NonceLength), sealedSecret.AsSpan(1 + NonceLength, SecretLength),
            sealedSecret.AsSpan(1 + NonceLength + SecretLength, TagLength), secret, AssociatedData(accountId));
        return secret;
    }

    private static byte[] AssociatedData(string accountId) => Encoding.UTF8.GetBytes("wfh-two-factor-secret-v1\n" + accountId);
}
