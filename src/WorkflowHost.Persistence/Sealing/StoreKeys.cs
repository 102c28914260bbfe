using System.Security.Cryptography;
using System.Text;

namespace WorkflowHost.Persistence.Sealing;

/// <summary>
/// The keys the store uses and never stores: one secret from configuration (<c>Sealing:Key</c>, decision 90), from
/// which HKDF derives a key for the journal's hash chain, a key that seals secret ballots' choices, and a key check
/// (a value that identifies the key without revealing it, kept in the database so a host started with another key
/// refuses to run on it). The Data Protection key ring lives in the database, so it cannot serve here: anyone who
/// reads the database would hold it. <see cref="ToString"/> never shows a key.
/// </summary>
public sealed class StoreKeys
{
    private readonly byte[] _journal;
    private readonly byte[] _ballots;
    private readonly byte[] _twoFactor;

    public StoreKeys(byte[] secret)
    {
        if (secret.Length < 32)
        {
            throw new ArgumentException("The sealing key must be at least 32 bytes.", nameof(secret));
        }

        _journal = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.ASCII.GetBytes("wfh-journal-chain-v1"));
        _ballots = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.ASCII.GetBytes("wfh-ballot-seal-v1"));
        _twoFactor = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.ASCII.GetBytes("wfh-two-factor-secret-v1"));
        var check = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 16, salt: [], info: Encoding.ASCII.GetBytes("wfh-key-check-v1"));
        KeyCheck = Convert.ToHexStringLower(check);
    }

    public static StoreKeys FromBase64(string secret) => new(Convert.FromBase64String(secret));

    /// <summary>128 bits that name the key (not a hash an attacker could test a key against faster than the HKDF itself).</summary>
    public string KeyCheck { get; }

    internal ReadOnlySpan<byte> JournalKey => _journal;

    internal byte[] BallotKey => _ballots;

    /// <summary>Seals accounts' TOTP secrets (docs/decisions/0105).</summary>
    internal byte[] TwoFactorKey => _twoFactor;

    public override string ToString() => $"StoreKeys(check {KeyCheck[..8]}…)";
}
