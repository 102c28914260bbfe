using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>The OpenAPI document is the contract: every API endpoint is in it, with its request body and response schemas.</summary>
public sealed class OpenApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_endpoint_appears_with_its_request_and_response_schemas()
    {
        var reply = await fixture.Api.GetAsync(null, "/openapi/v1.json");
        Assert.Equal(System.Net.HttpStatusCode.OK, reply.Status);
        var paths = reply.Body["paths"]!.AsObject();

        var endpoints = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Endpoint: e, Method: m)))
            .ToList();
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} API endpoints found");

        foreach (var (endpoint, method) in endpoints)
        {
            var path = Normalise(endpoint.RoutePattern.RawText!);
            var operation = paths[path]?[method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {path} is not in the OpenAPI document");

            var responses = operation!["responses"]!.AsObject();
            var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(success.Count > 0, $"{method} {path} documents no success response");
            foreach (var (code, response) in success.Where(r => r.Key != "204"))
            {
                Assert.True(response?["content"]?.AsObject().Any(c => c.Value?["schema"] is not null) == true, $"{method} {path} {code} has no response schema");
            }

            if (method == "POST")
            {
                var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                Assert.True(schema is not null || TakeNoBody.Contains(path), $"POST {path} has no request body schema");
                Assert.True(responses.Any(r => r.Key == "400"), $"POST {path} does not document its 400");
            }

            if (path.Contains("{id}", StringComparison.Ordinal))
            {
                Assert.True(responses.ContainsKey("404"), $"{method} {path} does not document its 404");
            }
        }

        var schemas = reply.Body["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { "InstanceView", "StepView", "BallotView", "InboxItem", "CommandResponse", "StartRequest", "VoteRequest", "HttpValidationProblemDetails" })
        {
            Assert.True(schemas.ContainsKey(name), $"schema {name} missing; have {string.Join(", ", schemas.Select(s => s.Key))}");
        }

        Assert.Equal("bearer", reply.Body["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_interactive_page_is_served_in_Development()
    {
        var reply = await fixture.Api.GetAsync(null, "/scalar/v1");
        Assert.Equal(System.Net.HttpStatusCode.OK, reply.Status);
        Assert.Contains("openapi", reply.Text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Commands whose whole meaning is in their path: they read no body.</summary>
    private static readonly HashSet<string> TakeNoBody =
        ["/api/account/logout", "/api/admin/accounts/{personId}/deactivate", "/api/admin/accounts/{personId}/reactivate"];

    /// <summary>Route constraints are not part of OpenAPI paths: <c>{id:guid}</c> is <c>{id}</c>.</summary>
    private static string Normalise(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{([^}:]+)(:[^}]+)?\}", "{$1}").TrimEnd('/');
}
