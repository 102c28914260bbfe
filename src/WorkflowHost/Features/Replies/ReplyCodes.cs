using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Microsoft.Extensions.Options;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Replies;

/// <summary>
/// The verification code printed next to a reply's number (意见回执编号 + 校验码): an HMAC-SHA256, under a server key, of
/// what the reply is — community, series, number, instance, the step that issued it (which says consent or not) and the
/// time — cut to 80 bits and written in 16 base-32 characters. Without the key nobody can make a valid code; with the
/// number and code anyone can check a paper reply and learn nothing beyond what the reply itself says.
/// </summary>
public sealed class ReplyCodes(IOptions<ReplyOptions> options)
{
    private const string Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"; // no I, L, O, U: nothing to misread

    private readonly byte[] _key = Convert.FromBase64String(options.Value.VerificationKey);

    public string CodeFor(IssuedNumber number)
    {
        var content = string.Join('\n', "reply-v1", number.CommunityId, number.Series, number.Number, number.InstanceId.ToString("D"),
            number.ActivityId, number.IssuedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(content));
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
    public bool Matches(IssuedNumber number, string code)
    {
        var expected = Encoding.ASCII.GetBytes(Normalise(CodeFor(number)));
        var given = Encoding.ASCII.GetBytes(Normalise(code));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static string Normalise(string code) =>
        new([.. code.Where(c => c is not ('-' or ' ')).Select(c => char.ToUpperInvariant(c)).Where(c => c < 128)]);
}

public sealed class ReplyOptions
{
    public const string Section = "Replies";

    /// <summary>Base64 of at least 32 random bytes. The repository's development key is refused outside Development.</summary>
    public string VerificationKey { get; set; } = "";

    /// <summary>The key in appsettings.Development.json: public, so only good for a demonstration.</summary>
    public const string DevelopmentKey = "ZGV2ZWxvcG1lbnQtb25seS1yZXBseS1rZXktYmluaGUtMjAyNg==";
}

internal sealed class ReplyOptionsValidator : AbstractValidator<ReplyOptions>
{
    public ReplyOptionsValidator(IHostEnvironment environment)
    {
        RuleFor(o => o.VerificationKey).NotEmpty().WithMessage("set a base64 key of at least 32 random bytes (e.g. `openssl rand -base64 32`)")
            .Must(BeLongEnough).WithMessage("must be base64 of at least 32 bytes");
        RuleFor(o => o.VerificationKey).NotEqual(ReplyOptions.DevelopmentKey).When(_ => !environment.IsDevelopment())
            .WithMessage("the development key from the repository is refused outside Development; set a secret key");
    }

    private static bool BeLongEnough(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var length) && length >= 32;
    }
}
