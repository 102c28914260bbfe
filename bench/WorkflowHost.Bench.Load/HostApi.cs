using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace WorkflowHost.Bench.Load;

/// <summary>The few API calls the scenario needs, over one shared <see cref="HttpClient"/>; every caller brings its bearer token.</summary>
internal sealed class HostApi(HttpClient http, BenchAccounts accounts)
{
    public async Task<string> SignInAsync(string personId)
    {
        var answer = await SendAsync(HttpMethod.Post, "/api/account/token", token: null,
            new JsonObject { ["userName"] = personId, ["password"] = accounts.PasswordFor(personId) });
        return answer["accessToken"]?.GetValue<string>() ?? throw new InvalidOperationException($"No access token for {personId}.");
    }

    /// <summary>The status the token endpoint answers for a password, without throwing (to show the demo password is refused).</summary>
    public async Task<HttpStatusCode> TrySignInAsync(string personId, string password)
    {
        using var request = Request(HttpMethod.Post, "/api/account/token", token: null, new JsonObject { ["userName"] = personId, ["password"] = password }, idempotencyKey: null);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    public async Task<Guid> StartAsync(string token, string process, JsonObject input, string idempotencyKey)
    {
        var answer = await SendAsync(HttpMethod.Post, "/api/instances", token,
            new JsonObject { ["process"] = process, ["input"] = input }, idempotencyKey);
        return Guid.Parse(answer["instanceId"]!.GetValue<string>());
    }

    public async Task<JsonObject> GetInstanceAsync(string token, Guid instanceId) =>
        await SendAsync(HttpMethod.Get, $"/api/instances/{instanceId}", token);

    public async Task<JsonObject> GetTimelineAsync(string token, Guid instanceId) =>
        await SendAsync(HttpMethod.Get, $"/api/instances/{instanceId}/timeline", token);

    public async Task<JsonObject> GetJsonAsync(string token, string path) => await SendAsync(HttpMethod.Get, path, token);

    public async Task CompleteAsync(string token, Guid instanceId, string stepId, string outcome, string idempotencyKey) =>
        await SendAsync(HttpMethod.Post, StepPath(instanceId, stepId, "complete"), token, new JsonObject { ["outcome"] = outcome }, idempotencyKey);

    /// <summary>A vote; returns the status code and, for a refusal, the problem's <c>code</c> (e.g. <c>closed</c>).</summary>
    public async Task<(HttpStatusCode Status, string? Problem)> VoteAsync(string token, Guid instanceId, string stepId, string choice, string? idempotencyKey)
    {
        using var request = Request(HttpMethod.Post, StepPath(instanceId, stepId, "vote"), token, new JsonObject { ["choice"] = choice }, idempotencyKey);
        using var response = await http.SendAsync(request);
        if (response.IsSuccessStatusCode)
        {
            // Read the body so the connection goes back to the pool at once.
            await response.Content.ReadAsByteArrayAsync();
            return (response.StatusCode, null);
        }

        var body = await response.Content.ReadAsStringAsync();
        string? code = null;
        try
        {
            code = JsonNode.Parse(body)?["code"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            code = body.Length > 200 ? body[..200] : body;
        }

        return (response.StatusCode, code);
    }

    private static string StepPath(Guid instanceId, string stepId, string action) =>
        $"/api/instances/{instanceId}/steps/{Uri.EscapeDataString(stepId)}/{action}";

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string? token, JsonObject? body = null, string? idempotencyKey = null)
    {
        using var request = Request(method, path, token, body, idempotencyKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"{method} {path} answered no JSON object.");
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token, JsonObject? body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return request;
    }
}
