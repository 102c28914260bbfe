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
        var length = Encoding.UTF8.GetByteCount(choice);
        if (length > PaddedLength - 2)
        {
            throw new ArgumentException($"An option value of {length} bytes is too long to seal (at most {PaddedLength - 2}).", nameof(choice));
        }

        // Every secret vote seals its choice: the plaintext and the associated data are written on the stack rather than
        // into arrays and a string made for one call each (issue 18); the bytes are the same.
        Span<byte> plain = stackalloc byte[PaddedLength];
        plain.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(plain, (ushort)length);
        Encoding.UTF8.GetBytes(choice, plain[2..]);
        var sealedChoice = new byte[SealedLength];
        sealedChoice[0] = Version;
        var nonce = sealedChoice.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        var associated = AssociatedDataLength(bookmarkId) <= StackLimit ? stackalloc byte[StackLimit] : new byte[AssociatedDataLength(bookmarkId)];
        var written = WriteAssociatedData(instanceId, bookmarkId, associated);
        using var aes = new AesGcm(keys.BallotKey, TagLength);
        aes.Encrypt(nonce, plain, sealedChoice.AsSpan(1 + NonceLength, PaddedLength), sealedChoice.AsSpan(1 + NonceLength + PaddedLength, TagLength),
            associated[..written]);
        CryptographicOperations.ZeroMemory(plain);
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

    private static byte[] AssociatedData(Guid instanceId, string bookmarkId)
    {
        var associated = new byte[AssociatedDataLength(bookmarkId)];
        WriteAssociatedData(instanceId, bookmarkId, associated);
        return associated;
    }

    // The associated data is the UTF-8 of "wfh-ballot-seal-v1\n{instance:D}\n{bookmark}": what binds a sealed choice to
    // its ballot. Changing a byte of it makes every stored choice unopenable (BallotSealTests pins it).
    private static ReadOnlySpan<byte> AssociatedPrefix => "wfh-ballot-seal-v1\n"u8;

    private const int GuidLength = 36;

    private const int StackLimit = 256;

    private static int AssociatedDataLength(string bookmarkId) => AssociatedPrefix.Length + GuidLength + 1 + Encoding.UTF8.GetByteCount(bookmarkId);

    private static int WriteAssociatedData(Guid instanceId, string bookmarkId, Span<byte> into)
    {
        AssociatedPrefix.CopyTo(into);
        var at = AssociatedPrefix.Length;
        if (!instanceId.TryFormat(into[at..], out var guid, "D") || guid != GuidLength)
        {
            throw new InvalidOperationException("A GUID formats as 36 characters.");
        }

        at += guid;
        into[at++] = (byte)'\n';
        return at + Encoding.UTF8.GetBytes(bookmarkId, into[at..]);
    }
}
