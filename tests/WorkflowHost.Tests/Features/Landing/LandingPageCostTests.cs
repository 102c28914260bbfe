using System.Net;
using System.Text.RegularExpressions;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Landing;

/// <summary>
/// What the landing page costs in SQL commands, counted, never timed (decision 150): a visitor's page reads nothing from
/// the database; a signed-in summary sends the same commands whether the community has one case or many, and none of
/// them groups. Counted warm, like <see cref="Api.RoundTripBudgetTests"/>, after a first visit.
/// </summary>
public abstract partial class LandingPageCostTests : IAsyncLifetime
{
    private readonly SqlCommandLog _log = new();

    private HostFactory _factory = null!;

    private ApiDriver _api = null!;

    protected abstract Task<HostFactory> CreateFactoryAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services);

    /// <summary>Drops what <see cref="CreateFactoryAsync"/> created besides the host (a PostgreSQL database).</summary>
    protected virtual ValueTask DisposeDatabaseAsync() => ValueTask.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        _factory = await CreateFactoryAsync(_log.AddTo);
        _api = new ApiDriver(_factory);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await _factory.DisposeAsync();
        await DisposeDatabaseAsync();
    }

    [Fact]
    public async Task The_signed_in_summary_sends_the_same_commands_with_one_case_or_six_and_never_groups()
    {
        await _api.SubmitAsync();
        using var office = await CookieBrowser.SignedInAsync(_factory, People.Office);
        await GetAsync(office, "warm-up");

        var few = await GetAsync(office, "one case");
        for (var i = 0; i < 5; i++)
        {
            await _api.SubmitAsync();
        }

        var more = await GetAsync(office, "six cases");

        Assert.Equal(Running(few) + 5, Running(more)); // the page counts the cases: the database did change under it
        var described = $"one case:\n{_log.Describe("one case")}\nsix cases:\n{_log.Describe("six cases")}";
        TestContext.Current.TestOutputHelper?.WriteLine(described);
        Assert.Contains(_log.For("one case"), sql => sql.Contains("SELECT", StringComparison.OrdinalIgnoreCase));
        Assert.True(_log.For("one case").Count == _log.For("six cases").Count, described);
        Assert.DoesNotContain(_log.For("six cases"), sql => sql.Contains("GROUP BY", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_visitors_page_reads_nothing_from_the_database()
    {
        await _api.SubmitAsync();
        using var office = await CookieBrowser.SignedInAsync(_factory, People.Office);
        await GetAsync(office, "signed in"); // the log sees this host's commands: a visitor's zero is not a deaf interceptor
        Assert.NotEmpty(_log.For("signed in"));
        using var visitor = new CookieBrowser(_factory);

        var html = await GetAsync(visitor, "visitor");

        Assert.Contains("href=\"/account/login\"", html, StringComparison.Ordinal);
        Assert.Empty(_log.For("visitor"));
    }

    private static async Task<string> GetAsync(CookieBrowser browser, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add(SqlCommandLog.TagHeader, tag);
        using var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static int Running(string html) => int.Parse(RunningCount().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("本社区办理中的事项 (\\d+) 件")]
    private static partial Regex RunningCount();
}

public sealed class LandingPageCostOnSqlite : LandingPageCostTests
{
    protected override Task<HostFactory> CreateFactoryAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services) =>
        Task.FromResult(new HostFactory(services: services));
}

public sealed class LandingPageCostOnPostgreSql : LandingPageCostTests
{
    private PostgreSqlTestDatabase? _database;

    protected override async Task<HostFactory> CreateFactoryAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services)
    {
        _database = await PostgreSqlTestDatabase.CreateAsync();
        return new HostFactory(postgreSql: _database, services: services);
    }

    protected override async ValueTask DisposeDatabaseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
