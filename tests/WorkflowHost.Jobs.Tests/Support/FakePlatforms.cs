using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace WorkflowHost.Jobs.Tests.Support;

/// <summary>
/// Loopback fakes of the robot platforms and of an SMS gateway (WireMock.Net on 127.0.0.1, a free port each): they
/// answer as the platform documents and keep every request for the test to check format and signature.
/// </summary>
public sealed class FakePlatform : IDisposable
{
    private FakePlatform(WireMockServer server) => Server = server;

    public WireMockServer Server { get; }

    public string Url => Server.Urls[0];

    public static FakePlatform Start()
    {
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"], StartAdminInterface = false });
        return new FakePlatform(server);
    }

    /// <summary>Answers every POST to <paramref name="path"/> with <paramref name="body"/> (JSON) and <paramref name="status"/>.</summary>
    public FakePlatform Answer(string path, int status, string body, IReadOnlyDictionary<string, string>? headers = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response = response.WithHeader(name, value);
        }

        Server.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(response);
        return this;
    }

    /// <summary>Answers POSTs to <paramref name="path"/> in turn with each of <paramref name="answers"/>, the last one for ever after.</summary>
    public FakePlatform AnswerInTurn(string path, params (int Status, string Body, IReadOnlyDictionary<string, string>? Headers)[] answers)
    {
        var scenario = $"turns-{path}";
        for (var i = 0; i < answers.Length; i++)
        {
            var (status, body, headers) = answers[i];
            var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                response = response.WithHeader(name, value);
            }

            var given = Server.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario);
            if (i > 0)
            {
                given = given.WhenStateIs($"turn-{i}");
            }
            if (i < answers.Length - 1)
            {
                given = given.WillSetStateTo($"turn-{i + 1}");
            }

            given.RespondWith(response);
        }

        return this;
    }

    public IReadOnlyList<Received> Requests(string? path = null) =>
        [.. Server.LogEntries.Select(e => e.RequestMessage)
            .Where(r => path is null || r.Path == path)
            .OrderBy(r => r.DateTime)
            .Select(r => new Received(r.Path, r.AbsoluteUrl, r.Query?.ToDictionary(q => q.Key, q => q.Value.FirstOrDefault() ?? "") ?? [],
                r.Headers?.ToDictionary(h => h.Key, h => h.Value.FirstOrDefault() ?? "", StringComparer.OrdinalIgnoreCase) ?? [],
                r.Body ?? ""))];

    public void Dispose() => Server.Stop();
}

public sealed record Received(string Path, string Url, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
