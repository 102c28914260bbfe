using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>The group robots' documented signature rules, exactly as the platforms check them.</summary>
public static class RobotSignatures
{
    /// <summary>
    /// DingTalk 加签: string to sign <c>timestamp + "\n" + secret</c> (timestamp in milliseconds), HMAC-SHA256 keyed with the
    /// secret, Base64, then URL-encoded; sent as the query parameters <c>timestamp</c> and <c>sign</c>.
    /// </summary>
    public static string DingTalk(long timestampMilliseconds, string secret)
    {
        var toSign = timestampMilliseconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret;
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(toSign));
        return Uri.EscapeDataString(Convert.ToBase64String(mac));
    }

    /// <summary>
    /// Feishu 签名校验: <c>timestamp + "\n" + secret</c> (timestamp in seconds) is the HMAC-SHA256 <em>key</em>, the message
    /// is empty, the result Base64; sent in the body as <c>timestamp</c> (a string) and <c>sign</c>.
    /// </summary>
    public static string Feishu(long timestampSeconds, string secret)
    {
        var key = timestampSeconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret;
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Array.Empty<byte>());
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// The generic SMS gateway's request signature: HMAC-SHA256 keyed with the app secret over
    /// <c>appId + "\n" + timestamp + "\n" + nonce + "\n" + hex(SHA-256(body))</c>, lower-case hex.
    /// </summary>
    public static string SmsGateway(string appId, long timestampSeconds, string nonce, string body, string secret)
    {
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var toSign = $"{appId}\n{timestampSeconds.ToString(CultureInfo.InvariantCulture)}\n{nonce}\n{bodyHash}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(toSign)));
    }
}
