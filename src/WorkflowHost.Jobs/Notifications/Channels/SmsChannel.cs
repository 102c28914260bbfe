using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>One SMS to send: the number, the gateway's template and its parameters, and the request id that makes a resend harmless.</summary>
public sealed record SmsRequest(string Phone, string TemplateId, IReadOnlyDictionary<string, string> Parameters, string RequestId);

/// <summary>An SMS provider. One implementation: <see cref="HttpSmsGateway"/>; a vendor SDK would be another.</summary>
public interface ISmsProvider
{
    bool Enabled { get; }

    Task<ChannelResult> SendAsync(SmsRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// A generic HTTP SMS gateway. <c>POST {Endpoint}</c> with headers <c>X-App-Id</c>, <c>X-Timestamp</c> (seconds),
/// <c>X-Nonce</c> and <c>X-Signature</c> (<see cref="RobotSignatures.SmsGateway"/>), body
/// <c>{"requestId","phone","templateId","params"}</c>. The gateway answers <c>{"code":"OK","messageId","status"}</c>, and
/// <c>{"code":"DUPLICATE","messageId"}</c> for a request id it has seen: so a message resent after a crash is sent once.
/// </summary>
public sealed class HttpSmsGateway(ChannelOptions options, ChannelHttp http, TimeProvider time) : ISmsProvider
{
    public bool Enabled => options.Sms.Enabled;

    public async Task<ChannelResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        var sms = options.Sms;
        var masked = Redact.Phone(request.Phone);
        var body = new JsonObject
        {
            ["requestId"] = request.RequestId,
            ["phone"] = request.Phone,
            ["templateId"] = request.TemplateId,
            ["params"] = new JsonObject([.. request.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
        }.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var headers = new Dictionary<string, string>
        {
            ["X-App-Id"] = sms.AppId!,
            ["X-Timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),
            ["X-Nonce"] = nonce,
            ["X-Signature"] = RobotSignatures.SmsGateway(sms.AppId!, timestamp, nonce, body, sms.Secret!),
        };

        HttpAnswer answer;
        try
        {
            answer = await http.PostRawAsync(sms.Endpoint!, body, headers, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new ChannelResult(ChannelOutcome.Transient, masked, Scrub($"sms: {e.Message}", request), ChannelFault: true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChannelResult(ChannelOutcome.Transient, masked, "sms: no answer within the timeout", ChannelFault: true);
        }

        var code = answer.Text("code");
        var message = Scrub(answer.Text("message") ?? "", request);
        if (answer.Status == System.Net.HttpStatusCode.OK && code is "OK" or "DUPLICATE")
        {
            return ChannelResult.Sent(masked, answer.Text("messageId"), answer.Text("status") ?? (code == "DUPLICATE" ? "duplicate" : "accepted"));
        }

        if (answer.IsServerError)
        {
            return new ChannelResult(ChannelOutcome.Transient, masked, $"sms: HTTP {(int)answer.Status}", RetryAfter: answer.RetryAfter, ChannelFault: true);
        }

        if (answer.IsTooManyRequests || code == "THROTTLED")
        {
            return new ChannelResult(ChannelOutcome.Transient, masked, $"sms: rate limited {message}", RetryAfter: answer.RetryAfter ?? TimeSpan.FromMinutes(1), ChannelFault: true);
        }

        // A number the gateway refuses is this recipient's problem, not the channel's.
        var recipientFault = code is "INVALID_PHONE" or "BLACKLISTED" or "UNSUBSCRIBED";
        return new ChannelResult(ChannelOutcome.Permanent, masked, $"sms: refused ({code ?? $"HTTP {(int)answer.Status}"} {message})", ChannelFault: !recipientFault);
    }

    /// <summary>The gateway may quote the number or our key back in a message; neither may reach a log or the database.</summary>
    private string Scrub(string text, SmsRequest request)
    {
        var result = text.Replace(request.Phone, Redact.Phone(request.Phone), StringComparison.Ordinal);
        return options.Sms.Secret is { Length: > 0 } secret ? result.Replace(secret, "***", StringComparison.Ordinal) : result;
    }
}

/// <summary>
/// SMS for personal reminders, escalations and the digest: the number from the directory, the gateway's template for the
/// notification's kind, parameters with names and times only. The number appears masked everywhere but in the request.
/// </summary>
public sealed class SmsChannel(ISmsProvider provider, ChannelOptions options, ChannelTexts texts) : INotificationChannel
{
    public string Name => ChannelNames.Sms;

    public async Task<ChannelResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        if (!provider.Enabled)
        {
            return ChannelResult.Skipped("no SMS gateway is configured");
        }

        if (string.IsNullOrWhiteSpace(delivery.Phone))
        {
            return ChannelResult.Skipped("the recipient has no mobile number in the directory");
        }

        var templates = options.Sms.Templates;
        if (!templates.TryGetValue(delivery.Template, out var templateId) && !templates.TryGetValue("notice", out templateId))
        {
            return ChannelResult.Skipped($"no SMS template is configured for '{delivery.Template}'");
        }

        var request = new SmsRequest(delivery.Phone.Trim(), templateId, texts.SmsParameters(delivery), RequestId(delivery.NotificationId));
        return await provider.SendAsync(request, cancellationToken);
    }

    /// <summary>Stable per delivery: every attempt of one SMS carries the same id, so the gateway can drop a repeat.</summary>
    public static string RequestId(Guid notificationId) => $"{notificationId:N}-sms";
}
