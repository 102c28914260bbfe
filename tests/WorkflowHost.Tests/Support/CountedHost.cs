using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace WorkflowHost.Tests.Support;

/// <summary>
/// What the cost tests (round trips, allocations, a page's commands) each set up: a host on SQLite or on a PostgreSQL
/// database of its own, the API driver that signs in for real, and the log that counts the SQL commands of tagged
/// requests. One place, so the tests differ only in what they count.
/// </summary>
public sealed class CountedHost : IAsyncDisposable
{
    private readonly PostgreSqlTestDatabase? _database;

    private readonly SqlCommandLog? _log;

    private CountedHost(HostFactory factory, SqlCommandLog? log, PostgreSqlTestDatabase? database)
    {
        Factory = factory;
        Api = new ApiDriver(factory);
        _log = log;
        _database = database;
    }

    public HostFactory Factory { get; }

    public ApiDriver Api { get; }

    /// <summary>The commands counted; a host started with <c>countCommands: false</c> has none to give.</summary>
    public SqlCommandLog Log => _log ?? throw new InvalidOperationException("This host was started without a command log.");

    /// <summary>
    /// Starts the host. <paramref name="countCommands"/> false leaves the interceptor out, for a test that counts bytes:
    /// the interceptor's own allocations would be counted with the request's.
    /// </summary>
    public static async Task<CountedHost> StartAsync(bool onPostgreSql, bool countCommands = true)
    {
        var log = countCommands ? new SqlCommandLog() : null;
        var database = onPostgreSql ? await PostgreSqlTestDatabase.CreateAsync() : null;
        return new CountedHost(new HostFactory(postgreSql: database, services: log is null ? null : log.AddTo), log, database);
    }

    /// <summary>A browser signed in through the pages' own sign-in form.</summary>
    public Task<CookieBrowser> SignInAsync(string person) => CookieBrowser.SignedInAsync(Factory, person);

    /// <summary>An API request as <paramref name="person"/> (a bearer token from the real sign-in), its commands logged under <paramref name="tag"/>.</summary>
    public async Task<Reply> SendAsync(string tag, string person, HttpMethod method, string path, object? body = null)
    {
        using var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Api.TokenAsync(person));
        request.Headers.Add(SqlCommandLog.TagHeader, tag);
        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            request.Content = JsonContent.Create(body ?? new { });
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonNode.Parse(text) : null, text, response);
    }

    /// <summary>A page as <paramref name="browser"/> sees it, its commands logged under <paramref name="tag"/>.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, string Html)> GetPageAsync(CookieBrowser browser, string tag, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(SqlCommandLog.TagHeader, tag);
        using var response = await browser.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Fails above the budget, listing the commands; and fails when nothing of the expected kind was seen, so a broken
    /// interceptor cannot pass as a cheap request.
    /// </summary>
    public void AssertWithin(string tag, int budget, string mustInclude)
    {
        var commands = Log.For(tag);
        var described = $"{commands.Count} SQL commands for '{tag}' (budget {budget}):\n{Log.Describe(tag)}";
        TestContext.Current.TestOutputHelper?.WriteLine(described);
        Assert.Contains(commands, sql => sql.Contains(mustInclude, StringComparison.OrdinalIgnoreCase));
        Assert.True(commands.Count <= budget, described);
    }

    /// <summary>
    /// Fails when the commands and the commits and rollbacks sent for <paramref name="tag"/> are more than
    /// <paramref name="budget"/>: on PostgreSQL, the request's round trips to the database (decision 168).
    /// </summary>
    public void AssertRoundTripsWithin(string tag, int budget, string mustInclude)
    {
        var commands = Log.For(tag);
        var ends = Log.TransactionEndsFor(tag);
        var described = $"{commands.Count} SQL commands and {ends.Count} transaction ends ({string.Join(", ", ends)}) for '{tag}' (budget {budget} round trips):\n{Log.Describe(tag)}";
        TestContext.Current.TestOutputHelper?.WriteLine(described);
        Assert.Contains(commands, sql => sql.Contains(mustInclude, StringComparison.OrdinalIgnoreCase));
        Assert.True(commands.Count + ends.Count <= budget, described);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
