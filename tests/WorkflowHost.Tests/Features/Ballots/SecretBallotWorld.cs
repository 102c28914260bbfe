using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Ballots;

/// <summary>
/// One run of the promotion consultation with a secret committee ballot, on a host of its own (real SQLite file, every
/// log category at Trace), recording everything someone could read afterwards: each API response and web page of every
/// role, every row of every table (journal, instance state, voters, notifications, e-mail outbox…), and every log entry.
/// Each request carries a W3C <c>traceparent</c> numbered by the world, so log entries can be grouped by request the
/// way a log store groups them by trace id.
/// </summary>
internal sealed partial class SecretBallotWorld : IAsyncDisposable
{
    public const string Process = "secret-promotion-consultation";
    public const string Ballot = "committee-ballot#2";

    /// <summary>
    /// Every role that can reach the instance, one who cannot (another unit's liaison), and an in-service member who reads
    /// it only because the unit copied them on it (抄送, decision 131): a copied reader sees the result, never who chose what.
    /// </summary>
    public static readonly string[] Viewers =
        [People.Liaison, People.OtherLiaison, People.Member, "p-member-zhao", People.UnitsMember, People.Office, People.Secretary, People.Street, People.Administrator, People.InService];

    /// <summary>The in-service member the unit copies on the case; the test definition lets in-service members be copied.</summary>
    public static readonly string[] CopiedReader = [People.InService];

    private readonly HostFactory _host;
    private readonly WebApplicationFactory<Program> _app;
    private readonly Dictionary<string, (string Token, DateTimeOffset At)> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpClient> _browsers = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly HashSet<string> _beforeBallot = new(StringComparer.Ordinal);

    private SecretBallotWorld()
    {
        _host = new HostFactory(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",

            // No background Hangfire server: its polling would make the two worlds' logs differ for reasons unrelated to votes.
            ["Scheduling:RunServer"] = "false",
        });
        WriteSecretDefinition(_host.DataFolder);
        _app = _host.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))));
    }

    public ScopedLogCapture Logs { get; } = new();

    /// <summary>What was read, in order: key (what, who, when) and the text as served or stored.</summary>
    public List<(string Key, string Text)> Records { get; } = [];

    public Guid Instance { get; private set; }

    /// <summary>The sealed choices after Li's vote, opened with the host's key: the scan's proof that it would see them in the clear.</summary>
    public List<string> UnsealedAfterLi { get; set; } = [];

    public async Task<List<string>> UnsealedChoicesAsync()
    {
        var keys = _app.Services.GetRequiredService<WorkflowHost.Persistence.Sealing.StoreKeys>();
        await using var db = await _app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<WorkflowHost.Persistence.WorkflowDbContext>>().CreateDbContextAsync();
        var rows = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.SealedChoices.Where(c => c.InstanceId == Instance));
        return [.. rows.Select(r => WorkflowHost.Persistence.Sealing.BallotSeal.Unseal(keys, Instance, r.BookmarkId, r.Sealed)).Order(StringComparer.Ordinal)];
    }

    public string DataFolder => _host.DataFolder;

    public static async Task<SecretBallotWorld> StartAsync()
    {
        var world = new SecretBallotWorld();
        _ = world._app.Server;
        // The seeds ran at the clock's start (last year's in-service review is a process); a minute on, the case sorts
        // after it in every list in both worlds, instead of by its random id.
        world.Advance(TimeSpan.FromMinutes(1));
        var submitted = await world.SendAsync(People.Liaison, HttpMethod.Post, "/api/instances", new { process = Process, input = ApiDriver.ConsultationInput() });
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        world.Instance = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["instanceId"]!.GetValue<Guid>();
        var copied = await world.SendAsync(People.Liaison, HttpMethod.Post, $"/api/instances/{world.Instance}/copies", new { to = CopiedReader });
        Assert.True(copied.StatusCode == HttpStatusCode.OK, await copied.Content.ReadAsStringAsync());
        var accepted = await world.SendAsync(People.Office, HttpMethod.Post, ApiDriver.Step(world.Instance, "office-check#1", "complete"), new { outcome = "accept" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        world._beforeBallot.UnionWith(world.StoredRows().Select(r => r.Text));
        return world;
    }

    public void Advance(TimeSpan by) => _host.Time.Advance(by);

    public async Task VoteByApiAsync(string member, string choice, string? reason)
    {
        using var response = await SendAsync(member, HttpMethod.Post, ApiDriver.Step(Instance, Ballot, "vote"), new { choice, reason });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{member}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task RecuseByApiAsync(string member, string reason)
    {
        using var response = await SendAsync(member, HttpMethod.Post, ApiDriver.Step(Instance, Ballot, "recuse"), new { reason });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{member}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Votes through the web page, as a person would: open the ballot's page, fill in the form, post it.</summary>
    public async Task VoteByPageAsync(string member, string choice, string? reason)
    {
        var page = WorkPage;
        using var form = await PageAsync(member, page);
        var token = AntiforgeryToken(await form.Content.ReadAsStringAsync());
        using var posted = await PageAsync(member, page + "?handler=Vote", new Dictionary<string, string>
        {
            ["choice"] = choice, ["reason"] = reason ?? "", ["__RequestVerificationToken"] = token,
        });
        Assert.True(posted.StatusCode == HttpStatusCode.Redirect, $"{member}: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
    }

    private string WorkPage => $"/work/{Instance}/{Uri.EscapeDataString(Ballot)}";

    /// <summary>Everything every viewer can read now, and every stored row, under keys ending in <paramref name="checkpoint"/>.</summary>
    public async Task CaptureAsync(string checkpoint)
    {
        foreach (var viewer in Viewers)
        {
            foreach (var path in new[]
                     {
                         $"/api/instances/{Instance}", $"/api/instances/{Instance}/timeline", $"/api/instances/{Instance}/timeline/verification",
                         "/api/instances?pageSize=100", "/api/inbox", "/api/inbox/done?pageSize=100", "/api/inbox/copied", "/api/admin/notifications/failed",
                         "/api/ledger?pageSize=100", $"/api/instances/{Instance}/steps/{Uri.EscapeDataString(Ballot)}/roll-call?format=csv",
                     })
            {
                using var response = await SendAsync(viewer, HttpMethod.Get, path);
                Records.Add(($"api {viewer} {path} @{checkpoint}", $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"));
            }

            foreach (var path in new[] { "/inbox", "/inbox?tab=done", "/inbox?tab=copied", $"/instances/{Instance}", WorkPage, $"/instances/{Instance}/reply", "/dashboard", "/notifications", "/mine", "/ledger" })
            {
                using var response = await PageAsync(viewer, path);
                Records.Add(($"page {viewer} {path} @{checkpoint}", $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"));
            }
        }

        Records.AddRange(StoredRows().Select(r => (r.Key + " @" + checkpoint, r.Text)));
    }

    /// <summary>
    /// Every row of every table of the workflow database written or changed since the ballot opened, in the order they
    /// were written (rowid). Rows from before (seeds, the submission) cannot hold a vote, and seeds are inserted in the
    /// order of their random ids, which differs from host to host.
    /// </summary>
    public IEnumerable<(string Key, string Text)> StoredRows() => AllStoredRows().Where(r => !_beforeBallot.Contains(r.Text));

    private List<(string Key, string Text)> AllStoredRows() =>
        // Key material and the sign-in accounts (random ids, salted hashes) are random per host and hold nothing about a ballot.
        Dump(Path.Combine(DataFolder, "workflowhost.db"), table => table is not ("DataProtectionKeys" or "__EFMigrationsHistory") && !table.StartsWith("Account", StringComparison.Ordinal));

    /// <summary>Hangfire's own tables (jobs, their arguments and state): searched, not compared, as Hangfire stamps them with the real clock.</summary>
    public List<(string Key, string Text)> SchedulerRows() => Dump(Path.Combine(DataFolder, "hangfire.db"), _ => true);

    private static List<(string Key, string Text)> Dump(string file, Func<string, bool> include)
    {
        var rows = new List<(string, string)>();
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables.Where(include))
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var cells = Enumerable.Range(0, reader.FieldCount).Where(i => reader.GetName(i) is not ("PasswordHash" or "SecurityStamp" or "ConcurrencyStamp"))
                    .Select(i => $"{reader.GetName(i)}={(reader.GetValue(i) is byte[] bytes ? $"blob({bytes.Length})" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))}");
                rows.Add(($"row {table}", string.Join(" | ", cells)));
            }
        }

        return rows;
    }

    /// <summary>Log entries of each request this world sent, keyed by the request's number and description.</summary>
    public IEnumerable<(string Key, IReadOnlyList<CapturedLog> Entries)> LogsByRequest()
    {
        var byTrace = Logs.Entries.Select(e => (Trace: TraceOf(e.Scopes), Entry: e)).Where(e => e.Trace >= 0).ToLookup(e => e.Trace, e => e.Entry);
        return _requests.Select((description, n) => ($"log #{n} {description}", (IReadOnlyList<CapturedLog>)[.. byTrace[TraceNumber(n)]]));
    }

    private static int TraceOf(string scopes)
    {
        var match = TraceIdPattern().Match(scopes);
        return match.Success ? int.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : -1;
    }

    private string NextTraceParent(string description)
    {
        _requests.Add(description);
        return $"00-{TraceNumber(_requests.Count - 1):x32}-{1:x16}-01";
    }

    /// <summary>
    /// Request n's trace id. Never zero: an all-zero trace id is invalid in W3C Trace Context, so ASP.NET Core would give
    /// that request a random one and its log entries would fall out of every request's group, uncompared.
    /// </summary>
    private static int TraceNumber(int request) => request + 1;

    private async Task<HttpResponseMessage> SendAsync(string person, HttpMethod method, string path, object? body = null)
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(person));
        request.Headers.Add("traceparent", NextTraceParent($"{person} {method} {path}"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }

    private async Task<string> TokenAsync(string person)
    {
        // Tokens expire with the fake clock: sign in again after half an hour of it.
        if (!_tokens.TryGetValue(person, out var held) || _host.Time.GetUtcNow() - held.At > TimeSpan.FromMinutes(30))
        {
            using var client = _app.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/account/token") { Content = JsonContent.Create(new { userName = person, password = DemoAccounts.Password }) };
            request.Headers.Add("traceparent", NextTraceParent($"{person} token"));
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            held = (JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>(), _host.Time.GetUtcNow());
            _tokens[person] = held;
        }

        return held.Token;
    }

    /// <summary>A page as a browser gets it, signed in with the cookie; a form when <paramref name="form"/> is given.</summary>
    private async Task<HttpResponseMessage> PageAsync(string person, string path, Dictionary<string, string>? form = null)
    {
        var browser = await BrowserAsync(person);
        using var request = new HttpRequestMessage(form is null ? HttpMethod.Get : HttpMethod.Post, path);
        request.Headers.Add("traceparent", NextTraceParent($"{person} page {(form is null ? "GET" : "POST")} {path}"));
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return await browser.SendAsync(request);
    }

    private async Task<HttpClient> BrowserAsync(string person)
    {
        if (_browsers.TryGetValue(person, out var browser))
        {
            return browser;
        }

        browser = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var login = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        login.Headers.Add("traceparent", NextTraceParent($"{person} sign-in page"));
        using var page = await browser.SendAsync(login);
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userName"] = person, ["password"] = DemoAccounts.Password, ["returnUrl"] = "/inbox",
                ["__RequestVerificationToken"] = AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            }),
        };
        signIn.Headers.Add("traceparent", NextTraceParent($"{person} sign-in"));
        using var signedIn = await browser.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        _browsers[person] = browser;
        return browser;
    }

    private static string AntiforgeryToken(string html)
    {
        var token = PageForms.AntiforgeryToken(html);
        Assert.True(token is not null, "no antiforgery field in the page");
        return token;
    }

    /// <summary>
    /// The shipped promotion consultation, its committee ballot made secret (as the office may choose for a sensitive
    /// nominee): read from workflows/ so the scan follows the real process as it changes.
    /// </summary>
    internal static void WriteSecretDefinition(string dataFolder)
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "workflows", "promotion-consultation.json")))!.AsObject();
        definition["id"] = Process;
        definition["name"]!["zh-CN"] = definition["name"]!["zh-CN"]!.GetValue<string>() + "（无记名表决）";
        definition["name"]!["en"] = definition["name"]!["en"]!.GetValue<string>() + " (secret ballot)";
        var ballot = definition["activities"]!.AsArray().Single(a => a!["type"]!.GetValue<string>() == "ballot")!;
        ballot["secret"] = true;
        definition["copy"] = new JsonObject { ["to"] = new JsonArray(new JsonObject { ["role"] = "in-service-member" }) };
        var folder = Directory.CreateDirectory(Path.Combine(dataFolder, "workflows"));
        File.WriteAllText(Path.Combine(folder.FullName, Process + ".json"), definition.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var browser in _browsers.Values)
        {
            browser.Dispose();
        }

        await _app.DisposeAsync();
        await _host.DisposeAsync();
    }

    [GeneratedRegex(@"TraceId:0{24}([0-9a-f]{8})")]
    private static partial Regex TraceIdPattern();
}
