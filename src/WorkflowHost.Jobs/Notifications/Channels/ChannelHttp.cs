using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>
/// The one HTTP client of the channels. Deliberately not IHttpClientFactory's logging client: its handlers log every
/// request URI at Information, and a robot's URI carries its access token. This one logs nothing.
/// </summary>
public sealed class ChannelHttp : IDisposable
{
    /// <summary>UTF-8 as is (the platforms read it; \u escapes would only make the bodies unreadable in a capture).</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _client;

    public ChannelHttp(ChannelOptions options)
    {
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
        {
            Timeout = options.Timeout,
        };
    }

    public async Task<HttpAnswer> PostJsonAsync(string url, JsonNode body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString(Json);
        return await PostRawAsync(url, json, headers, cancellationToken);
    }

    public async Task<HttpAnswer> PostRawAsync(string url, string json, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? parsed = null;
        try
        {
            parsed = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return new HttpAnswer(response.StatusCode, parsed, RetryAfter(response));
    }

    /// <summary>Retry-After (seconds or a date), or Feishu's <c>x-ogw-ratelimit-reset</c> (seconds).</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } retry)
        {
            return retry.Delta ?? (retry.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        }

        return response.Headers.TryGetValues("x-ogw-ratelimit-reset", out var values) && int.TryParse(values.FirstOrDefault(), out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    public void Dispose() => _client.Dispose();
}

public sealed record HttpAnswer(HttpStatusCode Status, JsonObject? Body, TimeSpan? RetryAfter)
{
    public bool IsServerError => (int)Status >= 500;

    public bool IsTooManyRequests => Status == HttpStatusCode.TooManyRequests;

    public long? Code(string name) => Body?[name] is JsonValue v && v.TryGetValue<long>(out var code) ? code : null;

    public string? Text(string name) => Body?[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
