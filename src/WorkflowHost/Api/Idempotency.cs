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
        if (values.Count != 1 || key.Length is 0 or > MaxLength || key.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            return (null, $"{Header} must be one value of 1 to {MaxLength} visible ASCII characters (a UUID is a good choice).");
        }

        return (Scoped($"{caller.PersonId}\n{context.Request.Method} {context.Request.Path.Value}\n{key}"), null);
    }

    /// <summary>
    /// "api-" and the first 48 hex digits of the scope's SHA-256, its UTF-8 and hash kept on the stack: every
    /// state-changing request pays this, and the arrays and strings between were a vote's allocations (issue 18).
    /// </summary>
    internal static string Scoped(string scope)
    {
        const int StackBytes = 1024;
        var length = Encoding.UTF8.GetMaxByteCount(scope.Length);
        var utf8 = length <= StackBytes ? stackalloc byte[StackBytes] : new byte[length];
        var written = Encoding.UTF8.GetBytes(scope, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..written], hash);
        Span<char> text = stackalloc char[KeyPrefix.Length + 48];
        KeyPrefix.CopyTo(text);
        Convert.TryToHexStringLower(hash[..24], text[KeyPrefix.Length..], out _);
        return new string(text);
    }

    private const string KeyPrefix = "api-";

    public static void MarkReplay(HttpContext context, bool replayed)
    {
        if (replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }
    }
}
