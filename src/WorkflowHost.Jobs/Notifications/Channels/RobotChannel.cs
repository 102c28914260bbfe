using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>
/// What the three group robots share: find the community's webhook, render the announcement, post it, read the
/// platform's answer. None of them accepts an idempotency key, so a host that dies after the platform accepted a message
/// and before the outbox row says "sent" leaves a claim that expires, and the message is posted again (ADR 0081).
/// </summary>
public abstract class RobotChannel(ChannelSecrets secrets, ChannelTexts texts, ChannelHttp http, TimeProvider time) : INotificationChannel
{
    public abstract string Name { get; }

    protected TimeProvider Time => time;

    public async Task<ChannelResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        var endpoint = await secrets.EndpointAsync(delivery.CommunityId, Name, cancellationToken);
        if (endpoint is null)
        {
            return ChannelResult.Skipped($"no {Name} webhook is configured for this community");
        }

        var text = texts.Render(delivery);
        var (url, body) = Build(endpoint, text);
        HttpAnswer answer;
        try
        {
            answer = await http.PostJsonAsync(url, body, null, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new ChannelResult(ChannelOutcome.Transient, endpoint.SafeAddress, Redact.Secrets($"{Name}: {e.Message}", endpoint), ChannelFault: true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChannelResult(ChannelOutcome.Transient, endpoint.SafeAddress, $"{Name}: no answer within the timeout", ChannelFault: true);
        }

        var result = Classify(answer);
        return result with { Address = endpoint.SafeAddress, Error = result.Error is null ? null : Redact.Secrets(result.Error, endpoint) };
    }

    /// <summary>The request: the URL to post to (signed if the platform signs in the query) and the JSON body.</summary>
    protected abstract (string Url, JsonObject Body) Build(ChannelEndpoint endpoint, ChannelText text);

    /// <summary>The platform's answer as an outcome. A 5xx or the platform's rate limit is transient; any other refusal is permanent.</summary>
    protected abstract ChannelResult Classify(HttpAnswer answer);

    protected ChannelResult Failure(HttpAnswer answer, long? code, string? message, IReadOnlyCollection<long> rateLimited, TimeSpan rateLimitWait)
    {
        if (answer.IsServerError)
        {
            return new ChannelResult(ChannelOutcome.Transient, "", $"{Name}: HTTP {(int)answer.Status}", RetryAfter: answer.RetryAfter, ChannelFault: true);
        }

        if (answer.IsTooManyRequests || (code is { } c && rateLimited.Contains(c)))
        {
            return new ChannelResult(ChannelOutcome.Transient, "", $"{Name}: rate limited ({(code is { } limited ? limited.ToString(CultureInfo.InvariantCulture) : "HTTP 429")} {message})",
                RetryAfter: answer.RetryAfter ?? rateLimitWait, ChannelFault: true);
        }

        if (code == -1)
        {
            return new ChannelResult(ChannelOutcome.Transient, "", $"{Name}: platform busy (-1 {message})", ChannelFault: true);
        }

        return new ChannelResult(ChannelOutcome.Permanent, "", $"{Name}: refused ({(code is { } refused ? refused.ToString(CultureInfo.InvariantCulture) : $"HTTP {(int)answer.Status}")} {message})", ChannelFault: true);
    }

    /// <summary>Cuts a UTF-8 text to at most <paramref name="maxBytes"/> bytes without splitting a character.</summary>
    protected static string CutBytes(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var builder = new StringBuilder();
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > maxBytes - 3)
            {
                break;
            }

            builder.Append(rune.ToString());
        }

        return builder.Append('…').ToString();
    }
}

/// <summary>
/// 企业微信群机器人: <c>POST {webhook}</c> (the webhook carries <c>key=</c>), body
/// <c>{"msgtype":"markdown","markdown":{"content":…}}</c>, content at most 4096 bytes. Answer <c>{"errcode":0}</c>;
/// 45009 is the rate limit (20 messages a minute per robot).
/// </summary>
public sealed class WeComRobotChannel(ChannelSecrets secrets, ChannelTexts texts, ChannelHttp http, TimeProvider time)
    : RobotChannel(secrets, texts, http, time)
{
    public const long RateLimited = 45009;

    public override string Name => ChannelNames.WeCom;

    protected override (string Url, JsonObject Body) Build(ChannelEndpoint endpoint, ChannelText text)
    {
        var content = $"**{ChannelTexts.MarkdownSafe(text.Title)}**\n" + string.Join("\n", text.Lines.Select(l => "> " + ChannelTexts.MarkdownSafe(l)));
        return (endpoint.Webhook, new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = CutBytes(content, 4096) },
        });
    }

    protected override ChannelResult Classify(HttpAnswer answer)
    {
        var code = answer.Code("errcode");
        return answer.Status == System.Net.HttpStatusCode.OK && code == 0
            ? ChannelResult.Sent("")
            : Failure(answer, code, answer.Text("errmsg"), [RateLimited], TimeSpan.FromMinutes(1));
    }
}

/// <summary>
/// 钉钉自定义机器人: <c>POST {webhook}&amp;timestamp=…&amp;sign=…</c> when a 加签 secret is set (see
/// <see cref="RobotSignatures.DingTalk"/>), body <c>{"msgtype":"markdown","markdown":{"title":…,"text":…}}</c>. Answer
/// <c>{"errcode":0}</c>; 130101 is the rate limit (20 a minute, then ten minutes' silence).
/// </summary>
public sealed class DingTalkRobotChannel(ChannelSecrets secrets, ChannelTexts texts, ChannelHttp http, TimeProvider time)
    : RobotChannel(secrets, texts, http, time)
{
    public const long RateLimited = 130101;

    public override string Name => ChannelNames.DingTalk;

    protected override (string Url, JsonObject Body) Build(ChannelEndpoint endpoint, ChannelText text)
    {
        var url = endpoint.Webhook;
        if (endpoint.Secret is { } secret)
        {
            var timestamp = Time.GetUtcNow().ToUnixTimeMilliseconds();
            url += (url.Contains('?') ? "&" : "?") + $"timestamp={timestamp}&sign={RobotSignatures.DingTalk(timestamp, secret)}";
        }

        var markdown = $"#### {ChannelTexts.MarkdownSafe(text.Title)}\n\n" + string.Join("\n\n", text.Lines.Select(ChannelTexts.MarkdownSafe));
        return (url, new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["title"] = text.Title, ["text"] = CutBytes(markdown, 5000) },
        });
    }

    protected override ChannelResult Classify(HttpAnswer answer)
    {
        var code = answer.Code("errcode");
        return answer.Status == System.Net.HttpStatusCode.OK && code == 0
            ? ChannelResult.Sent("")
            : Failure(answer, code, answer.Text("errmsg"), [RateLimited], TimeSpan.FromMinutes(10));
    }
}

/// <summary>
/// 飞书自定义机器人: <c>POST {webhook}</c>, body <c>{"msg_type":"post","content":{"post":{"zh_cn":{…}}}}</c> with
/// <c>timestamp</c> (seconds, a string) and <c>sign</c> when a secret is set (see <see cref="RobotSignatures.Feishu"/>).
/// Answer <c>{"code":0}</c>; 11232 and 9499, or HTTP 429 with <c>x-ogw-ratelimit-reset</c>, are the rate limit; 19021 a bad signature.
/// </summary>
public sealed class FeishuRobotChannel(ChannelSecrets secrets, ChannelTexts texts, ChannelHttp http, TimeProvider time)
    : RobotChannel(secrets, texts, http, time)
{
    public static readonly IReadOnlyCollection<long> RateLimited = [11232, 9499, 99991400];

    public override string Name => ChannelNames.Feishu;

    protected override (string Url, JsonObject Body) Build(ChannelEndpoint endpoint, ChannelText text)
    {
        var body = new JsonObject();
        if (endpoint.Secret is { } secret)
        {
            var timestamp = Time.GetUtcNow().ToUnixTimeSeconds();
            body["timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
            body["sign"] = RobotSignatures.Feishu(timestamp, secret);
        }

        body["msg_type"] = "post";
        body["content"] = new JsonObject
        {
            ["post"] = new JsonObject
            {
                ["zh_cn"] = new JsonObject
                {
                    ["title"] = text.Title,
                    ["content"] = new JsonArray([.. text.Lines.Select(l => (JsonNode)new JsonArray(new JsonObject { ["tag"] = "text", ["text"] = l }))]),
                },
            },
        };
        return (endpoint.Webhook, body);
    }

    protected override ChannelResult Classify(HttpAnswer answer)
    {
        // Older answers carry StatusCode/StatusMessage instead of code/msg.
        var code = answer.Code("code") ?? answer.Code("StatusCode");
        return answer.Status == System.Net.HttpStatusCode.OK && code == 0
            ? ChannelResult.Sent("")
            : Failure(answer, code, answer.Text("msg") ?? answer.Text("StatusMessage"), RateLimited, TimeSpan.FromMinutes(1));
    }
}
