using System.Security.Cryptography;
using System.Text;

namespace WorkflowHost.Persistence.Records;

/// <summary>
/// The one maker of verification codes printed on paper: HMAC-SHA256 under the server key (<c>Replies:VerificationKey</c>)
/// of a purpose line and the canonical content, cut to 80 bits and written as 16 base-32 characters in groups of four.
/// A document (意见回执, minutes) signs its whole canonical content (number, community, type, date and every field); a
/// reply number signs its register row (<c>ReplyCodes</c> in the host). Without the key nobody can make a code for
/// something the system did not issue; changing any field of a copy makes its code wrong.
/// </summary>
public sealed class DocumentCodes
{
    /// <summary>No I, L, O, U: nothing to misread on paper.</summary>
    private const string Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ0123456789";

    private readonly byte[] _key;

    public DocumentCodes(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The document verification key must be at least 32 bytes.", nameof(key));
        }

        _key = [.. key];
    }

    public static DocumentCodes FromBase64(string key) => new(Convert.FromBase64String(key));

    /// <summary>Purpose line of whole documents; the purpose keeps a code for one kind of record from fitting another.</summary>
    public const string DocumentPurpose = "wfh-document-v1";

    public string CodeFor(string canonicalContent) => CodeFor(DocumentPurpose, canonicalContent);

    public string CodeFor(string purpose, string content)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + content));
        var text = new StringBuilder(19);
        var bits = 0;
        var buffer = 0;
        foreach (var b in mac.AsSpan(0, 10))
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                if (text.Length is 4 or 9 or 14)
                {
                    text.Append('-');
                }

                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        return text.ToString();
    }

    /// <summary>Compares in constant time, ignoring case, spaces and hyphens.</summary>
    public bool Matches(string canonicalContent, string code) => Matches(DocumentPurpose, canonicalContent, code);

    /// <summary>Compares in constant time, ignoring case, spaces and hyphens.</summary>
    public bool Matches(string purpose, string content, string code)
    {
        var expected = Encoding.ASCII.GetBytes(Normalise(CodeFor(purpose, content)));
        var given = Encoding.ASCII.GetBytes(Normalise(code));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static string Normalise(string code) =>
        new([.. code.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant).Where(c => c < 128)]);
}
