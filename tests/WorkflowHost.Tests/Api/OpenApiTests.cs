using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// The OpenAPI document is the contract: every API endpoint is in it, with its request body and response schemas, its
/// security requirement and an operationId, and Redocly's recommended lint finds no error in it. That a client generated
/// from it works is <see cref="GeneratedClientTests"/>.
/// </summary>
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
                var schema = operation["requestBody"]?["content"]?[TakeFiles.Contains(path) ? "text/csv" : "application/json"]?["schema"]
                    ?? (TakeRawFile.Contains(path) ? operation["requestBody"]?["content"]?["application/octet-stream"]?["schema"] : null);
                Assert.True(schema is not null || TakeNoBody.Contains(path), $"POST {path} has no request body schema");
                Assert.True(responses.Any(r => r.Key == "400"), $"POST {path} does not document its 400");
            }

            if (path.Contains("{id}", StringComparison.Ordinal))
            {
                Assert.True(responses.ContainsKey("404"), $"{method} {path} does not document its 404");
            }
        }

        var schemas = reply.Body["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { "InstanceView", "StepView", "BallotView", "InboxItem", "CommandResponse", "StartRequest", "VoteRequest", "HttpValidationProblemDetails", "UploadedAttachment", "AttachmentView" })
        {
            Assert.True(schemas.ContainsKey(name), $"schema {name} missing; have {string.Join(", ", schemas.Select(s => s.Key))}");
        }

        Assert.Equal("bearer", reply.Body["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_operation_states_its_security_requirement_truthfully_and_has_an_operationId()
    {
        var document = (await fixture.Api.GetAsync(null, "/openapi/v1.json")).Body;
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("apiKey", schemes["Cookie"]!["type"]!.GetValue<string>());
        Assert.Equal("workflowhost.auth", schemes["Cookie"]!["name"]!.GetValue<string>());

        var anonymousRoutes = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true && e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => Normalise(e.RoutePattern.RawText!))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("/api/account/token", anonymousRoutes);
        Assert.Contains("/api/processes", anonymousRoutes);

        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        using var anonymous = fixture.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {path}";
                var operationId = operation!["operationId"]?.GetValue<string>();
                Assert.False(string.IsNullOrEmpty(operationId), $"{name} has no operationId");
                Assert.True(operationIds.Add(operationId!), $"{name}: operationId {operationId} is used twice");

                var security = operation["security"]?.AsArray();
                Assert.True(security is not null, $"{name} states no security requirement");
                if (anonymousRoutes.Contains(path))
                {
                    Assert.True(security!.Count == 0, $"{name} is anonymous but its document says it needs {security.ToJsonString()}");
                }
                else
                {
                    // Either scheme alone satisfies it: two requirement objects, one scheme each.
                    var alternatives = security!.Select(r => string.Join('+', r!.AsObject().Select(s => s.Key))).Order(StringComparer.Ordinal).ToList();
                    Assert.Equal(["Bearer", "Cookie"], alternatives);
                }

                // What the document says is what the host does: without credentials a secured GET is 401, an anonymous one is not.
                if (method == "get")
                {
                    var url = System.Text.RegularExpressions.Regex.Replace(path, @"\{([^}]+)\}", m => m.Groups[1].Value switch
                    {
                        "processId" => "promotion-consultation",
                        "year" => "2025",
                        _ => Guid.Empty.ToString(),
                    });
                    using var response = await anonymous.GetAsync(url);
                    if (security!.Count == 0)
                    {
                        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
                    }
                    else
                    {
                        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name} says it needs sign-in but answered {(int)response.StatusCode} without it");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Redocly's recommended rules (<c>@redocly/cli lint</c>, pinned) report no error in the served document. Needs Node.js
    /// with npx (the package comes from the npm registry on first use); without it the test is skipped with the reason,
    /// unless <c>WORKFLOWHOST_REQUIRE_NODE=1</c> (set by .ci/run), where it fails.
    /// </summary>
    [Fact]
    public async Task Redocly_recommended_lint_finds_no_error_in_the_document()
    {
        const string Redocly = "@redocly/cli@2.77.0";
        var npx = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "npx")).FirstOrDefault(File.Exists);
        if (npx is null)
        {
            const string reason = "No npx on PATH: Redocly's lint of the OpenAPI document needs Node.js 20 or later with npm.";
            if (Environment.GetEnvironmentVariable("WORKFLOWHOST_REQUIRE_NODE") == "1")
            {
                Assert.Fail(reason + " WORKFLOWHOST_REQUIRE_NODE=1 requires it.");
            }

            Assert.Skip(reason);
        }

        var reply = await fixture.Api.GetAsync(null, "/openapi/v1.json");
        var folder = Directory.CreateTempSubdirectory("workflowhost-openapi-").FullName;
        try
        {
            var file = Path.Combine(folder, "openapi.json");
            await File.WriteAllTextAsync(file, reply.Text, TestContext.Current.CancellationToken);
            var start = new ProcessStartInfo(npx)
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList = { "--yes", Redocly, "lint", "--extends=recommended", "--format=stylish", file },
            };
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            start.Environment["NO_UPDATE_NOTIFIER"] = "1";
            start.Environment["NPM_CONFIG_UPDATE_NOTIFIER"] = "false";
            using var lint = Process.Start(start)!;
            var output = lint.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = lint.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            bound.CancelAfter(TimeSpan.FromMinutes(5)); // the first run downloads the package
            try
            {
                await lint.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                lint.Kill(entireProcessTree: true);
                throw;
            }

            var text = await output + await errors;
            Assert.True(lint.ExitCode == 0, $"redocly lint exited {lint.ExitCode}:\n{text}");
            Assert.Contains("valid", text, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_interactive_page_is_served_in_Development()
    {
        var reply = await fixture.Api.GetAsync(null, "/scalar/v1");
        Assert.Equal(System.Net.HttpStatusCode.OK, reply.Status);
        Assert.Contains("openapi", reply.Text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Commands whose whole meaning is in their path: they read no body.</summary>
    /// <summary>Endpoints whose body is a file as it is (an upload), not JSON.</summary>
    private static readonly HashSet<string> TakeRawFile = ["/api/attachments"];

    private static readonly HashSet<string> TakeNoBody =
        [
            "/api/account/logout", "/api/admin/accounts/{personId}/deactivate", "/api/admin/accounts/{personId}/reactivate",
            "/api/admin/accounts/{personId}/invitation", "/api/admin/accounts/{personId}/reset", "/api/instances/{id}/steps/{stepId}/urge", "/api/instances/{id}/steps/{stepId}/claim",
            "/api/communities/{communityId}/people/{personId}/deactivate",
            "/api/in-service/offers/{id}/claims",
        ];

    /// <summary>Endpoints whose body is a file as it is (.xlsx or CSV), not JSON.</summary>
    private static readonly HashSet<string> TakeFiles = ["/api/communities/{communityId}/import/preview", "/api/communities/{communityId}/import"];

    /// <summary>Route constraints are not part of OpenAPI paths: <c>{id:guid}</c> is <c>{id}</c>.</summary>
    private static string Normalise(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{([^}:]+)(:[^}]+)?\}", "{$1}").TrimEnd('/');
}
