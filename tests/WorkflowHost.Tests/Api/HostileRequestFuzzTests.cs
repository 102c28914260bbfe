using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// Every endpoint the host maps (read from its <see cref="EndpointDataSource"/>, API and pages alike) gets malformed and
/// hostile requests (<see cref="HostileRequests"/>) from every kind of caller, on a real SQLite file. No answer is a
/// 5xx; a refused request (4xx) and any GET leave the database as it was (<see cref="DatabaseSnapshot"/> before and
/// after each); hostile text that was accepted is shown escaped on every page that shows it. The seed is fixed;
/// <c>WORKFLOWHOST_FUZZ_REQUESTS</c> and <c>WORKFLOWHOST_FUZZ_SEED</c> run a longer or another series.
/// </summary>
public sealed partial class HostileRequestFuzzTests(ApiFixture fixture, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private const int DefaultRequests = 600;
    private const int DefaultSeed = 20261127;

    private static readonly string?[] Callers =
    [
        null, People.Liaison, People.OtherLiaison, People.Member, People.UnitsMember, People.Office, People.Secretary,
        People.Street, People.Administrator,
    ];

    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task Hostile_requests_to_every_endpoint_get_no_5xx_and_refusals_change_nothing()
    {
        var count = Setting("WORKFLOWHOST_FUZZ_REQUESTS", DefaultRequests);
        var seed = Setting("WORKFLOWHOST_FUZZ_SEED", DefaultSeed);
        var random = new Random(seed);
        var targets = await TargetsAsync();
        var endpoints = Endpoints();
        var sessions = new Dictionary<string, Session>(StringComparer.Ordinal);
        foreach (var person in Callers)
        {
            sessions[person ?? ""] = await SessionAsync(person);
        }

        var failures = new List<string>();
        var byStatus = new SortedDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        DatabaseSnapshot? unchanged = null;
        for (var i = 0; i < count && failures.Count < 20; i++)
        {
            var (method, pattern) = HostileRequests.Pick(endpoints, random);
            var person = HostileRequests.Pick(Callers, random);
            var session = sessions[person ?? ""];
            var path = FillRoute(pattern, targets, random);
            var request = HostileRequests.Next(random, method, path, ValidBody(pattern, random));
            using var message = request.ToMessage();
            if (IsPage(pattern) && method == HttpMethod.Post && random.Next(3) > 0)
            {
                message.Content = PageForm(session, random);
                message.RequestUri = new Uri(path + "?handler=" + HostileRequests.Pick(["vote", "recuse", "complete", "read", "x"], random), UriKind.Relative);
            }

            if (session.Token is not null)
            {
                HostileRequests.AddBearer(message, session.Token);
            }

            // The snapshot after a request that changed nothing is the snapshot before the next one.
            var before = unchanged ?? await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);
            unchanged = null;
            using var response = await session.Client.SendAsync(message, TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            var name = $"request {i} as {person ?? "anonymous"}: {request.Description}";
            if (status >= 500)
            {
                var logged = fixture.Factory.Logs.LastOrDefault(l => l.StartsWith("Error", StringComparison.Ordinal)) ?? "";
                failures.Add($"{name} → {status} {Shorten(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))} {Shorten(logged)}");
                continue;
            }

            if (status is >= 200 and < 300 && pattern == "/api/account/logout" && person is not null)
            {
                // The series signed this caller out (their session and token ended for good, on purpose): like a real
                // client, they sign in again. Cached tokens are dropped, as the class's other test shares them.
                Api.ForgetTokens();
                sessions[person] = await SessionAsync(person);
                continue;
            }

            if (status >= 400 || method == HttpMethod.Get)
            {
                var after = await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);
                if (after != before)
                {
                    failures.Add($"{name} → {status} changed the database: {before.Difference(after)}");
                }

                unchanged = after;
            }
        }

        output.WriteLine($"{count} requests to {endpoints.Count} endpoint methods from seed {seed} in {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine("  by status: " + string.Join(", ", byStatus.Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(byStatus.Keys.Any(s => s is >= 200 and < 300) && byStatus.Keys.Any(s => s >= 400), "the series neither reached a handler nor was refused");

        // Whatever hostile text the series got accepted is shown escaped.
        await AssertPagesEscapeAsync(sessions);
    }

    [Fact]
    public async Task Hostile_text_accepted_into_a_record_is_shown_escaped_on_every_page()
    {
        var input = ApiDriver.ConsultationInput();
        input["nomineeName"] = "<script>alert(1)</script>";
        input["nomineePost"] = HostileRequests.Texts[1][..Math.Min(100, HostileRequests.Texts[1].Length)];
        input["reason"] = string.Join(" ", HostileRequests.Texts);
        var id = await Api.SubmitAsync(input: input);
        foreach (var text in HostileRequests.Texts)
        {
            Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/comments", new { text })).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, "office-check#1", "complete"), new { outcome = "accept", comment = HostileRequests.Texts[2] })).Status);
        var ballot = await ActLinkAsync(People.Member, id);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Member, ballot, new { choice = "consent", reason = HostileRequests.Texts[0] })).Status);
        var recuse = (await ActLinkAsync(People.Secretary, id)).Replace("/vote", "/recuse", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Secretary, recuse, new { reason = HostileRequests.Texts[1] })).Status);

        var sessions = new Dictionary<string, Session>(StringComparer.Ordinal);
        foreach (var person in new[] { People.Liaison, People.Member, People.Secretary, People.Office })
        {
            sessions[person] = await SessionAsync(person);
        }

        var shown = await AssertPagesEscapeAsync(sessions);
        Assert.True(shown > 0, "no page showed the hostile text at all, so nothing was checked");
    }

    private async Task<string> ActLinkAsync(string person, Guid id)
    {
        var inbox = (await Api.GetAsync(person, "/api/inbox")).Body.AsArray();
        return inbox.First(item => item!["instanceId"]!.GetValue<Guid>() == id)!["act"]!.GetValue<string>();
    }

    /// <summary>Renders every page that can show a record's text, for every instance, as each caller; returns how many showed the marker.</summary>
    private async Task<int> AssertPagesEscapeAsync(Dictionary<string, Session> sessions)
    {
        var contexts = fixture.Factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<WorkflowHost.Persistence.WorkflowDbContext>>();
        List<(Guid Id, string Step)> open;
        await using (var db = await contexts.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            open = [.. (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                    db.WorkItems.Select(w => new { w.InstanceId, StepId = w.BookmarkId }), TestContext.Current.CancellationToken))
                .Select(w => (w.InstanceId, w.StepId)).Distinct()];
        }

        var pages = new List<string> { "/inbox", "/inbox?tab=done", "/mine", "/notifications", "/dashboard" };
        foreach (var (id, step) in open)
        {
            pages.Add($"/instances/{id}");
            pages.Add($"/instances/{id}/reply");
            pages.Add($"/work/{id}/{Uri.EscapeDataString(step)}");
        }

        var shown = 0;
        var problems = new List<string>();
        foreach (var (person, session) in sessions.Where(s => s.Value.Token is not null))
        {
            foreach (var page in pages.Distinct(StringComparer.Ordinal))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, page);
                HostileRequests.AddBearer(request, session.Token!);
                using var response = await session.Client.SendAsync(request, TestContext.Current.CancellationToken);
                var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.True((int)response.StatusCode < 500, $"{page} as {person}: {(int)response.StatusCode}");
                if (html.Contains(HostileRequests.Marker, StringComparison.Ordinal) || html.Contains("alert(1)", StringComparison.Ordinal))
                {
                    shown++;
                }

                foreach (Match raw in RawMarkup().Matches(html))
                {
                    problems.Add($"{page} as {person} shows raw markup: {raw.Value}");
                }
            }
        }

        output.WriteLine($"{pages.Distinct(StringComparer.Ordinal).Count()} pages as {sessions.Count} callers: {shown} showed hostile text, {problems.Count} unescaped");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
        return shown;
    }

    /// <summary>Markup from <see cref="HostileRequests.Texts"/> that reached the page as markup: a tag opened in hostile text.</summary>
    [GeneratedRegex("<(script|img|svg)\\b[^>]*(fz7q|alert|evil)|<script>alert", RegexOptions.IgnoreCase)]
    private static partial Regex RawMarkup();

    private sealed record Session(HttpClient Client, string? Token, string? FormToken);

    /// <summary>A client that keeps cookies (the antiforgery cookie), the caller's bearer token, and a page form's antiforgery token.</summary>
    private async Task<Session> SessionAsync(string? person)
    {
        var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (person is null)
        {
            return new Session(client, null, null);
        }

        var token = await Api.TokenAsync(person);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/inbox");
        HostileRequests.AddBearer(request, token);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return new Session(client, token, PageForms.AntiforgeryToken(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    private static FormUrlEncodedContent PageForm(Session session, Random random)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (session.FormToken is not null && random.Next(4) > 0)
        {
            fields.Add(new("__RequestVerificationToken", session.FormToken));
        }

        foreach (var name in new[] { "choice", "reason", "outcome", "comment", "notification", "process", "input.nomineeName", "input.kind", "language", "returnUrl" })
        {
            if (random.Next(2) == 0)
            {
                fields.Add(new(name, HostileRequests.Value(random)?.ToString() ?? ""));
            }
        }

        return new FormUrlEncodedContent(fields);
    }

    private sealed record Targets(Guid[] Instances, string[] Steps);

    /// <summary>Instances in several states (one of another community) and step ids, real and not.</summary>
    private async Task<Targets> TargetsAsync()
    {
        var submitted = await Api.SubmitAsync();
        var atBallot = await Api.AtBallotAsync();
        var otherUnits = await Api.SubmitAsync(People.OtherLiaison);
        return new Targets(
            [submitted, atBallot, otherUnits, fixture.HilltopInstance, Guid.NewGuid()],
            ["office-check#1", "committee-ballot#2", "unit-amendment#3", "office-check#99", "<script>alert(1)</script>", "..%2F..", "x\u0001y", new string('s', 300), "%"]);
    }

    private List<(HttpMethod Method, string Pattern)> Endpoints()
    {
        var endpoints = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
                .Select(m => (Method: new HttpMethod(m), Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method.Method, StringComparer.Ordinal)
            .ToList();
        Assert.Contains(endpoints, e => e.Pattern.Contains("/vote", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/work/", StringComparison.Ordinal));
        output.WriteLine($"{endpoints.Count} endpoint methods: {string.Join(", ", endpoints.Select(e => $"{e.Method} {e.Pattern}"))}");
        return endpoints;
    }

    private static bool IsPage(string pattern) => !pattern.StartsWith("/api", StringComparison.Ordinal);

    private static string FillRoute(string pattern, Targets targets, Random random) => RouteParameter().Replace(pattern, match =>
    {
        var name = match.Groups[1].Value;
        if (name is "id" or "instance")
        {
            return random.Next(20) == 0 ? "not-a-guid" : HostileRequests.Pick(targets.Instances, random).ToString();
        }

        if (name is "stepId" or "step")
        {
            return Uri.EscapeDataString(HostileRequests.Pick(targets.Steps, random));
        }

        return Uri.EscapeDataString(HostileRequests.Pick(["promotion-consultation", "joint-affairs-discussion", "nope", HostileRequests.Texts[0], ""], random));
    });

    [GeneratedRegex("\\{\\*?\\*?([A-Za-z]+)[^}]*\\}")]
    private static partial Regex RouteParameter();

    /// <summary>A request the endpoint would accept, with hostile text in its text fields.</summary>
    private static Func<string>? ValidBody(string pattern, Random random)
    {
        string Text() => HostileRequests.Pick(HostileRequests.Texts, random);
        return pattern switch
        {
            _ when pattern.EndsWith("/comments", StringComparison.Ordinal) => () => new JsonObject { ["text"] = Text() }.ToJsonString(),
            _ when pattern.EndsWith("/vote", StringComparison.Ordinal) => () => new JsonObject { ["choice"] = HostileRequests.Pick(["consent", "object", "abstain"], random), ["reason"] = Text() }.ToJsonString(),
            _ when pattern.EndsWith("/recuse", StringComparison.Ordinal) || pattern.EndsWith("/withdraw", StringComparison.Ordinal) => () => new JsonObject { ["reason"] = Text() }.ToJsonString(),
            _ when pattern.EndsWith("/complete", StringComparison.Ordinal) => () => new JsonObject { ["outcome"] = HostileRequests.Pick(["accept", "return"], random), ["comment"] = Text() }.ToJsonString(),
            _ when pattern.EndsWith("/offline-votes", StringComparison.Ordinal) => () => new JsonObject { ["voter"] = "p-member-zhao", ["choice"] = "consent", ["reason"] = Text(), ["attestation"] = Text() }.ToJsonString(),
            _ when pattern.EndsWith("/deadline", StringComparison.Ordinal) => () => new JsonObject { ["extendByWorkingDays"] = 1, ["reason"] = Text() }.ToJsonString(),
            "/api/instances" => () =>
            {
                var input = ApiDriver.ConsultationInput();
                input["nomineeName"] = Text()[..Math.Min(50, Text().Length)];
                input["reason"] = Text();
                return new JsonObject { ["process"] = "promotion-consultation", ["input"] = input }.ToJsonString();
            },
            _ => null,
        };
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
