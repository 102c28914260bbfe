using System.Security.Cryptography;
using System.Text;

namespace WorkflowHost.Api;

/// <summary>
/// The <c>Idempotency-Key</c> header of state-changing requests. The key a client sends is scoped to the caller and to the
/// request's method and path before it reaches the store, so two people (or two endpoints) never share a key by accident.
/// A replay returns the first answer with <c>Idempotency-Replayed: true</c> and changes nothing.
/// </summary>
internal static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";
    public const int MaxLength = 100;

    /// <summary>The scoped key, null without a header, or an error message for a malformed one.</summary>
    public static (string? Key, string? Error) Read(HttpContext context, Caller caller)
    {
        if (!context.Request.Headers.TryGetValue(Header, out var values))
        {
            return (null, null);
        }

        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~'))
        {
            return (null, $"{Header} must be one value of 1 to {MaxLength} visible ASCII characters (a UUID is a good choice).");
        }

        var scope = $"{caller.PersonId}\n{context.Request.Method} {context.Request.Path.Value}\n{key}";
        return ("api-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope)))[..48], null);
    }

    public static void MarkReplay(HttpContext context, bool replayed)
    {
        if (replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }
    }
}
