using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowHost.Api;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// Refused requests are logged once each (Warning, event 4030): who by account id, what by method, route template and
/// resource id, when by the host's clock, and the outcome (401, 403, or 404 for an instance the caller may not see);
/// never a name, an e-mail address, a token or a body. Allowed requests, and 404s for what does not exist, are not.
/// </summary>
public sealed class AuthorizationFailureLogTests(AuthorizationFailureLogTests.Host host) : IClassFixture<AuthorizationFailureLogTests.Host>
{
    private const string BodyMarker = "BODY-MARKER-3317";

    private readonly HostFactory _host = host.Factory;
    private readonly ScopedLogCapture _logs = host.Logs;
    private readonly WebApplicationFactory<Program> _app = host.App;
    private readonly Guid _instance = host.Instance;

    [Fact]
    public async Task An_instance_hidden_from_the_caller_is_logged_as_404_with_the_account_id_route_and_time()
    {
        _host.Time.Advance(TimeSpan.FromMinutes(7));
        var before = Refusals().Count;
        using var response = await SendAsync(People.OtherLiaison, HttpMethod.Get, $"/api/instances/{_instance}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var entry = Assert.Single(Refusals().Skip(before));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("AuthorizationFailed", entry.EventId.Name);
        Assert.Equal("404", Field(entry, "Outcome"));
        Assert.Equal(await AccountIdAsync(People.OtherLiaison), Field(entry, "AccountId"));
        Assert.Equal("GET", Field(entry, "Method"));
        Assert.Equal("/api/instances/{id:guid}", Field(entry, "Route"));
        Assert.Equal(_instance.ToString(), Field(entry, "ResourceId"));
        Assert.Equal(_host.Time.GetUtcNow(), DateTimeOffset.Parse(Field(entry, "At"), System.Globalization.CultureInfo.InvariantCulture));
        await NoPersonalDataAsync(entry, People.OtherLiaison);
    }

    [Fact]
    public async Task A_forbidden_action_is_logged_as_403_without_its_body()
    {
        // The office sees the instance but is not the secretary: entering a meeting's vote is refused.
        var before = Refusals().Count;
        using var response = await SendAsync(People.Office, HttpMethod.Post, ApiDriver.Step(_instance, "office-check#1", "offline-votes"),
            new { voter = People.Member, choice = "consent", reason = BodyMarker, attestation = BodyMarker });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var entry = Assert.Single(Refusals().Skip(before));
        Assert.Equal("403", Field(entry, "Outcome"));
        Assert.Equal(await AccountIdAsync(People.Office), Field(entry, "AccountId"));
        Assert.Equal("POST", Field(entry, "Method"));
        Assert.Equal("/api/instances/{id:guid}/steps/{stepId}/offline-votes", Field(entry, "Route"));
        Assert.Equal(_instance.ToString(), Field(entry, "ResourceId"));
        await NoPersonalDataAsync(entry, People.Office);
    }

    [Fact]
    public async Task No_sign_in_is_logged_as_401_for_the_api_and_for_a_page_that_redirects_to_the_sign_in()
    {
        var before = Refusals().Count;
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var api = await client.GetAsync($"/api/instances/{_instance}/timeline?token={BodyMarker}");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var page = await client.GetAsync($"/instances/{_instance}");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/inbox");
        forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BodyMarker);
        using var badToken = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);

        var entries = Refusals().Skip(before).ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("401", Field(e, "Outcome")));
        Assert.All(entries, e => Assert.Equal(AuthorizationFailureLog.Anonymous, Field(e, "AccountId")));
        Assert.Equal(["/api/instances/{id:guid}/timeline", "instances/{id:guid}", "/api/inbox"], entries.Select(e => Field(e, "Route")));
        Assert.All(entries, e => Assert.DoesNotContain(BodyMarker, e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Allowed_requests_and_unknown_instances_are_not_logged_as_failures()
    {
        var before = Refusals().Count;
        using var own = await SendAsync(People.Liaison, HttpMethod.Get, $"/api/instances/{_instance}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var office = await SendAsync(People.Office, HttpMethod.Get, $"/api/instances/{_instance}/timeline");
        Assert.Equal(HttpStatusCode.OK, office.StatusCode);
        using var unknown = await SendAsync(People.Office, HttpMethod.Get, $"/api/instances/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var unknownStep = await SendAsync(People.Office, HttpMethod.Post, ApiDriver.Step(_instance, "no-such-step#9", "complete"), new { outcome = "accept" });
        Assert.Equal(HttpStatusCode.NotFound, unknownStep.StatusCode);

        Assert.Empty(Refusals().Skip(before));
    }

    private List<CapturedLog> Refusals() => [.. _logs.Entries.Where(e => e.Category == AuthorizationFailureLog.Category && e.EventId.Id == AuthorizationFailureLog.EventNumber)];

    private static string Field(CapturedLog entry, string name) => Convert.ToString(entry.State.Single(s => s.Key == name).Value, System.Globalization.CultureInfo.InvariantCulture)!;

    /// <summary>The entry names the account by id only: not the person id (a user name), their names, e-mail, token or the body.</summary>
    private async Task NoPersonalDataAsync(CapturedLog entry, string personId)
    {
        var contexts = _app.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var person = await db.People.AsNoTracking().SingleAsync(p => p.Id == personId);
        var account = await db.Users.AsNoTracking().SingleAsync(a => a.PersonId == personId);
        var text = entry + " " + string.Join(" ", entry.State.Select(s => s.Value));
        foreach (var personal in new[] { personId, person.NameZh, person.NameEn, account.Email!, account.UserName!, host.LastTokenOf(personId), BodyMarker })
        {
            Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<string> AccountIdAsync(string personId)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.Users.AsNoTracking().Where(a => a.PersonId == personId).Select(a => a.Id).SingleAsync();
    }

    private Task<HttpResponseMessage> SendAsync(string personId, HttpMethod method, string path, object? body = null) => host.SendAsync(personId, method, path, body);

    /// <summary>One host for the class, its log captured with structure, and a consultation submitted by Gao.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

        public HostFactory Factory { get; } = new();

        public ScopedLogCapture Logs { get; } = new();

        public WebApplicationFactory<Program> App { get; private set; } = null!;

        public Guid Instance { get; private set; }

        public async ValueTask InitializeAsync()
        {
            App = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddLogging(logging => logging.AddProvider(Logs))));
            using var submitted = await SendAsync(People.Liaison, HttpMethod.Post, "/api/instances", new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() });
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
            Instance = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["instanceId"]!.GetValue<Guid>();
        }

        public string LastTokenOf(string personId) => _tokens[personId];

        private async Task<string> TokenAsync(string personId)
        {
            // Tokens expire with the fake clock, which the tests move: a fresh one each time.
            using var client = App.CreateClient();
            using var response = await client.PostAsJsonAsync("/api/account/token", new { userName = personId, password = DemoAccounts.Password });
            var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>();
            _tokens[personId] = token;
            return token;
        }

        public async Task<HttpResponseMessage> SendAsync(string personId, HttpMethod method, string path, object? body = null)
        {
            using var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(personId));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            return await client.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Factory.DisposeAsync();
        }
    }
}
