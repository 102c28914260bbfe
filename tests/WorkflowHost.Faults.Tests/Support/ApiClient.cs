using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>An HTTP answer: status, JSON body, and whether it was an idempotent replay.</summary>
public sealed record Answer(HttpStatusCode Status, JsonNode? Json, bool Replayed, int Attempts)
{
    public string? Code => Json?["code"]?.GetValue<string>();

    public override string ToString() => $"{(int)Status} {Json?.ToJsonString()}";
}

/// <summary>
/// A client as a unit's system would be written: bearer tokens, and a request whose answer is lost (connection
/// refused or reset, timeout) is sent again once a host answers, with the same Idempotency-Key if it had one.
/// Requests go round-robin over the hosts given.
/// </summary>
public sealed class ApiClient(IReadOnlyList<Uri> hosts, FaultLedger ledger) : IDisposable
{
    public const string DemoPassword = "Binhe-Demo-2026";
    private static readonly TimeSpan HostWait = TimeSpan.FromMinutes(3);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new(StringComparer.Ordinal);
    private int _next;

    public async Task<Answer> PostAsync(string person, string path, object body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                ledger.CountRetry(idempotencyKey is not null);
                await WaitForAHostAsync(cancellationToken);
            }

            var host = hosts[(int)((uint)Interlocked.Increment(ref _next) % hosts.Count)];
            try
            {
                ledger.CountRequest();
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host, path)) { Content = JsonContent.Create(body) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(person, cancellationToken));
                if (idempotencyKey is not null)
                {
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                }

                using var response = await _http.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    _tokens.TryRemove(person, out _); // signed in on a host whose keys were not yet stored: sign in again
                    continue;
                }

                if ((int)response.StatusCode >= 500)
                {
                    ledger.RecordUnexpected($"{(int)response.StatusCode} from {host} for POST {path}: {Cut(text)}");
                    continue;
                }

                var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
                    ? JsonNode.Parse(text) : null;
                return new Answer(response.StatusCode, json, response.Headers.Contains("Idempotency-Replayed"), attempt);
            }
            catch (Exception e) when (IsLostAnswer(e, cancellationToken))
            {
                // The host died with the request in flight: it may or may not have committed. Ask again.
            }
        }
    }

    public async Task<JsonNode?> GetAsync(string person, string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            var host = hosts[(int)((uint)Interlocked.Increment(ref _next) % hosts.Count)];
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host, path));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(person, cancellationToken));
                using var response = await _http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                }

                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    return null;
                }

                _tokens.TryRemove(person, out _);
            }
            catch (Exception e) when (IsLostAnswer(e, cancellationToken))
            {
                await WaitForAHostAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// One upload (the raw body), sent once: an upload whose answer is lost is not acknowledged and not sent again (what
    /// it may have left is an orphan for the cleaner). Null when the answer was lost.
    /// </summary>
    public async Task<Answer?> UploadAsync(string person, string name, byte[] bytes, CancellationToken cancellationToken)
    {
        var host = hosts[(int)((uint)Interlocked.Increment(ref _next) % hosts.Count)];
        try
        {
            ledger.CountRequest();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host, "/api/attachments?name=" + Uri.EscapeDataString(name)))
            {
                Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(person, cancellationToken));
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new Answer(response.StatusCode, text.Length > 0 && text[0] == '{' ? JsonNode.Parse(text) : null, false, 1);
        }
        catch (Exception e) when (IsLostAnswer(e, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>A file's bytes as <paramref name="person"/> downloads them, or null when the host does not give it.</summary>
    public async Task<byte[]?> DownloadAsync(string person, Guid attachmentId, CancellationToken cancellationToken)
    {
        var host = hosts[(int)((uint)Interlocked.Increment(ref _next) % hosts.Count)];
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host, $"/api/attachments/{attachmentId}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(person, cancellationToken));
        using var response = await _http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync(cancellationToken) : null;
    }

    /// <summary>Signs everyone in at once (the password hash is the slow part of a sign-in).</summary>
    public Task SignInAsync(IEnumerable<string> people, CancellationToken cancellationToken) =>
        Task.WhenAll(people.Select(p => TokenAsync(p, cancellationToken)));

    public void Dispose() => _http.Dispose();

    private Task<string> TokenAsync(string person, CancellationToken cancellationToken) =>
        _tokens.GetOrAdd(person, p => SignInAsync(p, cancellationToken));

    private async Task<string> SignInAsync(string person, CancellationToken cancellationToken)
    {
        while (true)
        {
            var host = hosts[(int)((uint)Interlocked.Increment(ref _next) % hosts.Count)];
            try
            {
                using var response = await _http.PostAsJsonAsync(new Uri(host, "/api/account/token"), new { userName = person, password = DemoPassword }, cancellationToken);
                var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (response.IsSuccessStatusCode)
                {
                    return json!["accessToken"]!.GetValue<string>();
                }

                if ((int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException($"sign-in of {person} refused: {(int)response.StatusCode} {json}");
                }
            }
            catch (Exception e) when (IsLostAnswer(e, cancellationToken))
            {
            }

            await WaitForAHostAsync(cancellationToken);
        }
    }

    private async Task WaitForAHostAsync(CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + HostWait;
        while (DateTime.UtcNow < until)
        {
            foreach (var host in hosts)
            {
                if (await HostProcess.IsHealthyAsync(host, cancellationToken))
                {
                    return;
                }
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"no host answered for {HostWait.TotalMinutes} minutes");
    }

    private static bool IsLostAnswer(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
