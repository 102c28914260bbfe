using OtpNet;

namespace WorkflowHost.Tests.Support;

/// <summary>An authenticator app in the test: the code for a base32 secret at the host's (fake) time, computed by Otp.NET.</summary>
public static class Authenticator
{
    public static string Code(string secret, HostFactory factory) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(factory.Time.GetUtcNow().UtcDateTime);

    /// <summary>A six-digit code that is none of the codes accepted now (the current step and one either side).</summary>
    public static string WrongCode(string secret, HostFactory factory)
    {
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        var now = factory.Time.GetUtcNow().UtcDateTime;
        var accepted = new[] { -30, 0, 30 }.Select(s => totp.ComputeTotp(now.AddSeconds(s))).ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(0, 10).Select(i => new string((char)('0' + i), 6)).First(c => !accepted.Contains(c));
    }
}
