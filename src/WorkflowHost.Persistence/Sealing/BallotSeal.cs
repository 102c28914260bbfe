using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WorkflowHost.Persistence.Sealing;

/// <summary>
/// Seals one secret-ballot choice: AES-256-GCM under the ballot key of <see cref="StoreKeys"/>, a random nonce, the
/// instance and ballot as associated data (a sealed choice moved to another ballot does not open). The plaintext is
/// padded to a fixed size, so every sealed choice of every ballot is exactly <see cref="SealedLength"/> bytes long
/// whatever was chosen ("consent" and "object" differ in length).
/// </summary>
public static class BallotSeal
{
    private const int NonceLength = 12;
    private const int TagLength = 16;

    /// <summary>A choice is an option value (definitions keep them short); anything longer is refused rather than leaking by size.</summary>
    private const int PaddedLength = 128;

    public const int SealedLength = 1 + NonceLength + PaddedLength + TagLength;

    private const byte Version = 1;

    public static byte[] Seal(StoreKeys keys, Guid instanceId, string bookmarkId, string choice)
    {
        var text = Encoding.UTF8.GetBytes(choice);
        if (text.Length > PaddedLength - 2)
        {
            throw new ArgumentException($"An option value of {text.Length} bytes is too long to seal (at most {PaddedLength - 2}).", nameof(choice));
        }

        var plain = new byte[PaddedLength];
        BinaryPrimitives.WriteUInt16BigEndian(plain, (ushort)text.Length);
        text.CopyTo(plain, 2);
        var sealedChoice = new byte[SealedLength];
        sealedChoice[0] = Version;
        var nonce = sealedChoice.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.BallotKey, TagLength);
        aes.Encrypt(nonce, plain, sealedChoice.AsSpan(1 + NonceLength, PaddedLength), sealedChoice.AsSpan(1 + NonceLength + PaddedLength, TagLength),
            AssociatedData(instanceId, bookmarkId));
        return sealedChoice;
    }

    /// <summary>The choice, or an exception if the row was altered, moved or sealed under another key.</summary>
    public static string Unseal(StoreKeys keys, Guid instanceId, string bookmarkId, byte[] sealedChoice)
    {
        if (sealedChoice.Length != SealedLength || sealedChoice[0] != Version)
        {
            throw new CryptographicException($"A sealed choice of ballot {bookmarkId} on instance {instanceId} is malformed.");
        }

        var plain = new byte[PaddedLength];
        using var aes = new AesGcm(keys.BallotKey, TagLength);
        try
        {
            aes.Decrypt(sealedChoice.AsSpan(1, NonceLength), sealedChoice.AsSpan(1 + NonceLength, PaddedLength),
                sealedChoice.AsSpan(1 + NonceLength + PaddedLength, TagLength), plain, AssociatedData(instanceId, bookmarkId));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException(
                $"A sealed choice of ballot {bookmarkId} on instance {instanceId} does not open with the configured Sealing:Key (altered, moved, or sealed under another key).", e);
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(plain);
        return Encoding.UTF8.GetString(plain, 2, length);
    }

    private static byte[] AssociatedData(Guid instanceId, string bookmarkId) =>
        Encoding.UTF8.GetBytes($"wfh-ballot-seal-v1\n{instanceId:D}\n{bookmarkId}");
}
