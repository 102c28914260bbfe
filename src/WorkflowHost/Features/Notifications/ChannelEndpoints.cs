using WorkflowHost.Engine.Runtime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Hangfire;
using WorkflowHost.Api;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Notifications.Channels;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Features.Notifications;

/// <summary>A person's own choice: outside channels and the daily digest. In-app is always on.</summary>
public sealed record NotificationPreferencesView(IReadOnlyList<string> Channels, bool Digest, IReadOnlyList<string> Available, string? MaskedPhone, bool HasEmail, bool Chosen);

public sealed record NotificationPreferencesBody(IReadOnlyList<string>? Channels, bool Digest);

/// <summary>One channel of the caller's community as administrators see it. Never the webhook or the secret.</summary>
public sealed record ChannelStatusView(
    string Channel,
    bool Enabled,
    bool Configured,
    string Source,
    string? Hint,
    int ConsecutiveFailures,
    DateTimeOffset? FailingSince,
    DateTimeOffset? AlertedAt,
    string? LastError,
    DateTimeOffset? LastSuccessAt,
    IReadOnlyDictionary<string, int> Counts);

/// <summary>Which channel (and, for a retry, optionally which notification).</summary>
public sealed record ChannelCommandBody(string Channel, Guid? Notification = null);

/// <summary>What a test or retry did: how many deliveries were queued, and the notification concerned.</summary>
public sealed record ChannelCommandResult(string Channel, int Queued, Guid? Notification);

/// <summary>A channel's settings from the admin page. Null webhook or secret: unchanged; empty: cleared.</summary>
public sealed record ChannelSettingsBody(bool Enabled, string? Webhook, string? Secret);

internal static class ChannelEndpoints
{
    public static WebApplication MapNotificationChannels(this WebApplication app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization(AccountsRegistration.SignedIn)
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithTags("Notification channels");

        api.MapGet("/me/notification-preferences", async (Caller caller, ChannelService service, CancellationToken cancellationToken) =>
                Results.Ok(await service.PreferencesAsync(caller, cancellationToken)))
            .WithName("GetNotificationPreferences")
            .WithSummary("My outside channels (e-mail, SMS) and whether I get a daily digest instead of single messages")
            .Produces<NotificationPreferencesView>();

        api.MapPut("/me/notification-preferences", async (NotificationPreferencesBody body, Caller caller, ChannelService service, CancellationToken cancellationToken) =>
                await service.SavePreferencesAsync(caller, body, cancellationToken) is { } errors
                    ? Problems.Validation(errors)
                    : Results.Ok(await service.PreferencesAsync(caller, cancellationToken)))
            .WithName("SaveNotificationPreferences")
            .WithSummary("Choose my outside channels and the daily digest")
            .Produces<NotificationPreferencesView>()
            .ProducesValidationProblem();

        var admin = api.MapGroup("/admin/channels").AddEndpointFilter(async (context, next) =>
            (await Caller.BindAsync(context.HttpContext)).Has(RoleNames.Administrator)
                ? await next(context)
                : Problems.Forbidden("Only administrators manage notification channels."));

        admin.MapGet("", async (Caller caller, ChannelService service, CancellationToken cancellationToken) =>
                Results.Ok(await service.StatusAsync(caller.CommunityId, cancellationToken)))
            .WithName("GetChannels")
            .WithSummary("Every channel of my community: enabled, configured (never the key), health and delivery counts")
            .Produces<IReadOnlyList<ChannelStatusView>>();

        admin.MapPut("/{channel}", async (string channel, ChannelSettingsBody body, Caller caller, ChannelService service, CancellationToken cancellationToken) =>
                await service.SaveSettingsAsync(caller, channel, body, cancellationToken) is { } errors
                    ? Problems.Validation(errors)
                    : Results.NoContent())
            .WithName("SaveChannel")
            .WithSummary("Save a channel's webhook and secret (write-only: they are never shown again) and whether it is on")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem();

        admin.MapPost("/test", async (ChannelCommandBody body, Caller caller, ChannelService service, CancellationToken cancellationToken) =>
                ChannelNames.All.Contains(body.Channel)
                    ? Results.Accepted(value: new ChannelCommandResult(body.Channel, 1, await service.TestAsync(caller, body.Channel, cancellationToken)))
                    : Problems.Field("channel", $"One of {string.Join(", ", ChannelNames.All)}."))
            .WithName("TestChannel")
            .WithSummary("Send a test message on a channel now (quiet hours do not apply): to the group for a robot, to me otherwise")
            .Produces<ChannelCommandResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();

        admin.MapPost("/retry", async (ChannelCommandBody body, Caller caller, ChannelService service, CancellationToken cancellationToken) =>
                ChannelNames.All.Contains(body.Channel)
                    ? Results.Ok(new ChannelCommandResult(body.Channel, await service.RetryAsync(caller.CommunityId, body.Channel, body.Notification, cancellationToken), body.Notification))
                    : Problems.Field("channel", $"One of {string.Join(", ", ChannelNames.All)}."))
            .WithName("RetryChannel")
            .WithSummary("After fixing a key: try every failed or skipped delivery of the channel again (or one notification's)")
            .Produces<ChannelCommandResult>()
            .ProducesValidationProblem();

        admin.MapGet("/deliveries", async (string? channel, string? status, Caller caller, ChannelOutbox outbox, CancellationToken cancellationToken) =>
                Results.Ok(await outbox.DeliveriesAsync(caller.CommunityId, channel, status, 200, cancellationToken)))
            .WithName("GetChannelDeliveries")
            .WithSummary("Deliveries of my community, newest first, with the failure reason")
            .Produces<IReadOnlyList<ChannelDeliveryView>>();

        // The SMS gateway's delivery reports (not our API: the gateway calls it): signed like our requests to it, found by its message id.
        app.MapPost("/channels/sms/reports", async (HttpRequest request, ChannelOptions options, ChannelOutbox outbox, TimeProvider time, CancellationToken cancellationToken) =>
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(cancellationToken);
                if (!options.Sms.Enabled || !ValidReportSignature(request, body, options, time))
                {
                    return Results.StatusCode(StatusCodes.Status401Unauthorized);
                }

                var report = JsonNode.Parse(body) as JsonObject;
                var messageId = report?["messageId"]?.GetValue<string>();
                var status = report?["status"]?.GetValue<string>();
                if (messageId is null || status is null)
                {
                    return Problems.Field("messageId", "messageId and status are required.");
                }

                return await outbox.RecordReportAsync(ChannelNames.Sms, messageId, status, cancellationToken) ? Results.NoContent() : Results.NotFound();
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static bool ValidReportSignature(HttpRequest request, string body, ChannelOptions options, TimeProvider time)
    {
        var timestamp = request.Headers["X-Timestamp"].ToString();
        var nonce = request.Headers["X-Nonce"].ToString();
        var signature = request.Headers["X-Signature"].ToString();
        if (!long.TryParse(timestamp, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) > 300 || nonce.Length == 0)
        {
            return false;
        }

        var expected = RobotSignatures.SmsGateway(options.Sms.AppId!, seconds, nonce, body, options.Sms.Secret!);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }
}

/// <summary>What the preferences and channels pages and their API share.</summary>
public sealed class ChannelService(ChannelOutbox outbox, ChannelSecrets secrets, ChannelOptions options, IBackgroundJobClient jobs)
{
    public async Task<NotificationPreferencesView> PreferencesAsync(Caller caller, CancellationToken cancellationToken)
    {
        var preference = await outbox.PreferenceAsync(caller.PersonId, cancellationToken);
        var (email, phone) = await outbox.ContactAsync(caller.PersonId, cancellationToken);
        var channels = preference is null ? ChannelNames.PersonalDefault : ChannelNames.Parse(preference.Channels);
        return new NotificationPreferencesView(channels, preference?.Digest ?? false, ChannelNames.Personal,
            phone is null ? null : Redact.Phone(phone), !string.IsNullOrWhiteSpace(email), preference is not null);
    }

    public async Task<Dictionary<string, string[]>?> SavePreferencesAsync(Caller caller, NotificationPreferencesBody body, CancellationToken cancellationToken)
    {
        var channels = body.Channels ?? [];
        var unknown = channels.Where(c => !ChannelNames.Personal.Contains(c)).ToList();
        if (unknown.Count > 0)
        {
            return new() { ["channels"] = [$"Unknown channel(s): {string.Join(", ", unknown)}. Choose from {string.Join(", ", ChannelNames.Personal)}."] };
        }

        if (channels.Count > 10)
        {
            return new() { ["channels"] = ["Too many entries."] };
        }

        await outbox.SavePreferenceAsync(caller.PersonId, [.. channels.Distinct()], body.Digest, cancellationToken);
        return null;
    }

    public async Task<IReadOnlyList<ChannelStatusView>> StatusAsync(string communityId, CancellationToken cancellationToken)
    {
        var stored = (await outbox.CommunityChannelsAsync(communityId, cancellationToken)).ToDictionary(c => c.Channel);
        var health = (await outbox.HealthAsync(communityId, cancellationToken)).ToDictionary(h => h.Channel);
        var counts = await outbox.CountsAsync(communityId, cancellationToken);
        var result = new List<ChannelStatusView>();
        foreach (var channel in ChannelNames.All)
        {
            stored.TryGetValue(channel, out var row);
            health.TryGetValue(channel, out var h);
            var configured = channel switch
            {
                ChannelNames.Email => true,
                ChannelNames.Sms => options.Sms.Enabled,
                _ => await secrets.EndpointAsync(communityId, channel, cancellationToken) is not null,
            };
            var source = secrets.FromConfiguration(communityId, channel) || channel is ChannelNames.Sms or ChannelNames.Email ? "configuration" : row is null ? "not set" : "admin page";
            result.Add(new ChannelStatusView(channel, channel == ChannelNames.Email || (row?.Enabled ?? false), configured, source, row?.Hint,
                h?.ConsecutiveFailures ?? 0, h?.FailingSince, h?.AlertedAt, h?.LastError, h?.LastSuccessAt,
                counts.Where(c => c.Channel == channel).ToDictionary(c => c.Status, c => c.Count)));
        }

        return result;
    }

    public async Task<Dictionary<string, string[]>?> SaveSettingsAsync(Caller caller, string channel, ChannelSettingsBody body, CancellationToken cancellationToken)
    {
        if (!ChannelNames.Robots.Contains(channel) && channel != ChannelNames.Sms)
        {
            return new() { ["channel"] = [$"Channels with settings per community: {string.Join(", ", ChannelNames.Robots)}, sms."] };
        }

        if (body.Webhook is { Length: > 0 } webhook && (!Uri.TryCreate(webhook, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            return new() { ["webhook"] = ["An absolute https URL, as the platform shows it."] };
        }

        if (body.Webhook?.Length > 2000 || body.Secret?.Length > 500)
        {
            return new() { ["webhook"] = ["Too long."] };
        }

        if (secrets.FromConfiguration(caller.CommunityId, channel) && (body.Webhook is { Length: > 0 } || body.Secret is { Length: > 0 }))
        {
            return new() { ["webhook"] = ["This channel's webhook and secret are set in the server's configuration; change them there."] };
        }

        var current = await outbox.CommunityChannelAsync(caller.CommunityId, channel, cancellationToken);
        var hint = body.Webhook is null && body.Secret is null ? null
            : ChannelSecrets.Hint(body.Webhook is { Length: > 0 } w ? w : null, body.Secret is { Length: > 0 } s ? s : null);
        await outbox.SaveCommunityChannelAsync(caller.CommunityId, channel, body.Enabled,
            body.Webhook is null ? null : body.Webhook.Length == 0 ? "" : secrets.Protect(body.Webhook),
            body.Secret is null ? null : body.Secret.Length == 0 ? "" : secrets.Protect(body.Secret),
            hint ?? current?.Hint, caller.PersonId, cancellationToken);
        return null;
    }

    public async Task<Guid> TestAsync(Caller caller, string channel, CancellationToken cancellationToken)
    {
        var id = await outbox.WriteTestMessageAsync(caller.CommunityId, channel, caller.PersonId, cancellationToken);
        jobs.Enqueue<DeliverNotificationJob>(job => job.RunAsync(id, CancellationToken.None));
        return id;
    }

    public async Task<int> RetryAsync(string communityId, string channel, Guid? notification, CancellationToken cancellationToken)
    {
        var ids = await outbox.RetryChannelAsync(communityId, channel, notification, cancellationToken);
        foreach (var id in ids.Distinct())
        {
            jobs.Enqueue<DeliverNotificationJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        return ids.Count;
    }
}
