using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Tests.Support;

/// <summary>The seeded people the API tests act as.</summary>
public static class People
{
    public const string Liaison = "p-liaison-gao";            // unit-housing-bureau
    public const string OtherLiaison = "p-liaison-ma";        // unit-xinhua-police-station
    public const string Member = "p-member-li";               // full-time committee member
    public const string UnitsMember = "p-member-liu";         // part-time member from unit-housing-bureau: recused on Gao's submissions
    public const string Office = "p-office-xie";
    public const string Secretary = "p-secretary-wang";
    public const string Street = "p-street-qian";
    public const string Administrator = "p-admin-shen";
    public const string InService = "p-inservice-huang";
}

/// <summary>A reply: status and JSON body (null when the body is not JSON).</summary>
public sealed record Reply(HttpStatusCode Status, JsonNode? Json, string Text, HttpResponseMessage Message)
{
    public JsonNode Body => Json ?? throw new InvalidOperationException($"Not JSON ({(int)Status}): {Text}");

    public override string ToString() => $"{(int)Status} {(Text.Length > 400 ? Text[..400] + "…" : Text)}";
}

/// <summary>Drives the API as its clients do: bearer tokens from /api/account/token, JSON in and out.</summary>
public sealed class ApiDriver(HostFactory factory)
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public HostFactory Factory => factory;

    public WorkflowCommands Commands => factory.Services.GetRequiredService<WorkflowCommands>();

    public static JsonObject ConsultationInput() => new()
    {
        ["kind"] = "promotion",
        ["nomineeName"] = "周立新",
        ["nomineePost"] = "科长",
        ["proposedPost"] = "副局长",
        ["partyMembership"] = "full-member",
        ["reason"] = "工作扎实，积极参加社区志愿服务。",
        ["replyNeededBy"] = "2026-12-31",
    };

    /// <summary>Bearer tokens expire with the (fake) clock: after moving time forward, sign in again.</summary>
    public void ForgetTokens() => _tokens.Clear();

    public async Task<string> TokenAsync(string personId)
    {
        if (_tokens.TryGetValue(personId, out var token))
        {
            return token;
        }

        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/account/token", new { userName = personId, password = DemoAccounts.Password });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {personId}: {json}");
        token = json!["accessToken"]!.GetValue<string>();
        _tokens[personId] = token;
        return token;
    }

    public async Task<Reply> SendAsync(string? personId, HttpMethod method, string path, object? body = null, string? idempotencyKey = null)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(method, path);
        if (personId is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(personId));
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = body is string raw
                ? new StringContent(raw, Encoding.UTF8, "application/json")
                : JsonContent.Create(body);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0)
        {
            json = JsonNode.Parse(text);
        }

        return new Reply(response.StatusCode, json, text, response);
    }

    public Task<Reply> GetAsync(string? personId, string path) => SendAsync(personId, HttpMethod.Get, path);

    public Task<Reply> PostAsync(string? personId, string path, object? body, string? idempotencyKey = null) =>
        SendAsync(personId, HttpMethod.Post, path, body ?? new { }, idempotencyKey);

    public static string Step(Guid instance, string stepId, string action) => $"/api/instances/{instance}/steps/{Uri.EscapeDataString(stepId)}/{action}";

    /// <summary>A consultation submitted by <paramref name="liaison"/>; the office check is open (step <c>office-check#1</c>).</summary>
    public async Task<Guid> SubmitAsync(string liaison = People.Liaison, JsonObject? input = null, string process = "promotion-consultation")
    {
        var reply = await PostAsync(liaison, "/api/instances", new { process, input = input ?? ConsultationInput() });
        Assert.True(reply.Status == HttpStatusCode.Created, reply.ToString());
        return reply.Body["instanceId"]!.GetValue<Guid>();
    }

    /// <summary>Submitted and accepted by the office: the committee ballot (<c>committee-ballot#2</c>) is open.</summary>
    public async Task<Guid> AtBallotAsync(string liaison = People.Liaison)
    {
        var id = await SubmitAsync(liaison);
        var accepted = await PostAsync(People.Office, Step(id, "office-check#1", "complete"), new { outcome = "accept" });
        Assert.True(accepted.Status == HttpStatusCode.OK, accepted.ToString());
        return id;
    }

    public async Task<JsonNode> InstanceAsync(Guid id, string personId = People.Secretary)
    {
        var reply = await GetAsync(personId, $"/api/instances/{id}");
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return reply.Body;
    }
}
