using Microsoft.AspNetCore.DataProtection;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>A channel's endpoint as it is used to send: the webhook (with its token) and the signing secret. Never logged.</summary>
public sealed record ChannelEndpoint(string Webhook, string? Secret, string Source)
{
    /// <summary>What may be shown or stored as the "address" of a robot delivery: scheme and host, no path or query (the token lives there).</summary>
    public string SafeAddress => Uri.TryCreate(Webhook, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}" : "(webhook)";

    public override string ToString() => $"ChannelEndpoint({SafeAddress}, secret {(Secret is null ? "none" : "set")}, {Source})";
}

/// <summary>
/// Where a channel's webhook and secret come from: configuration or the environment first, then what an administrator
/// saved on the admin page (kept protected with ASP.NET Core data protection, whose keys live in the workflow database,
/// so every host can read them). The protected values never leave this class unprotected except to the channel.
/// </summary>
public sealed class ChannelSecrets(ChannelOptions options, ChannelOutbox outbox, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("WorkflowHost.Channels.Secrets.v1");

    public async Task<ChannelEndpoint?> EndpointAsync(string communityId, string channel, CancellationToken cancellationToken)
    {
        var configured = options.Endpoint(communityId, channel);
        if (configured is { Enabled: false })
        {
            return null;
        }

        var stored = await outbox.CommunityChannelAsync(communityId, channel, cancellationToken);
        var webhook = configured?.Webhook ?? Unprotect(stored?.ProtectedWebhook);
        var secret = configured?.Secret ?? Unprotect(stored?.ProtectedSecret);
        if (string.IsNullOrWhiteSpace(webhook))
        {
            return null;
        }

        return new ChannelEndpoint(webhook, string.IsNullOrEmpty(secret) ? null : secret,
            configured?.Webhook is not null ? "configuration" : "admin page");
    }

    /// <summary>Whether the webhook or secret of a channel is fixed by configuration (the page then cannot change it).</summary>
    public bool FromConfiguration(string communityId, string channel) =>
        options.Endpoint(communityId, channel) is { } e && (e.Webhook is not null || e.Secret is not null);

    public string Protect(string value) => _protector.Protect(value);

    /// <summary>A harmless description for the admin page: the webhook's host and the secret's length, nothing that helps to use them.</summary>
    public static string Hint(string? webhook, string? secret)
    {
        var host = webhook is not null && Uri.TryCreate(webhook, UriKind.Absolute, out var uri) ? uri.Host : null;
        return string.Join(" · ", new[] { host, secret is null ? null : $"secret set ({secret.Length} chars)" }.Where(s => s is not null));
    }

    private string? Unprotect(string? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // the key ring lost the key: as if not configured; the admin page shows it and a new save fixes it
        }
    }
}

/// <summary>Removes any known secret from a text before it is stored or logged (an error message may quote a URL).</summary>
public static class Redact
{
    public static string Secrets(string text, ChannelEndpoint? endpoint)
    {
        if (endpoint is null)
        {
            return text;
        }

        var result = text.Replace(endpoint.Webhook, endpoint.SafeAddress + "/***", StringComparison.Ordinal);
        if (Uri.TryCreate(endpoint.Webhook, UriKind.Absolute, out var uri))
        {
            if (uri.PathAndQuery.Length > 1)
            {
                result = result.Replace(uri.PathAndQuery, "/***", StringComparison.Ordinal);
            }
        }

        if (endpoint.Secret is { Length: > 0 } secret)
        {
            result = result.Replace(secret, "***", StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>A mobile number as it may appear anywhere: 138****5678.</summary>
    public static string Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return "(no number)";
        }

        var digits = new string([.. phone.Where(char.IsDigit)]);
        return digits.Length >= 7 ? $"{digits[..3]}****{digits[^4..]}" : "****";
    }
}
