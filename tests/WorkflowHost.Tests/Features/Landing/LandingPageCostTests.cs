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
    private CountedHost _host = null!;

    /// <summary>True for the PostgreSQL subclass: the host gets a database of its own on the test server.</summary>
    protected abstract bool OnPostgreSql { get; }

    private SqlCommandLog Log => _host.Log;

    private ApiDriver Api => _host.Api;

    public async ValueTask InitializeAsync() => _host = await CountedHost.StartAsync(OnPostgreSql);

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task The_signed_in_summary_sends_the_same_commands_with_one_case_or_six_and_never_groups()
    {
        await Api.SubmitAsync();
        using var office = await _host.SignInAsync(People.Office);
        await GetAsync(office, "warm-up");

        var few = await GetAsync(office, "one case");
        for (var i = 0; i < 5; i++)
        {
            await Api.SubmitAsync();
        }

        var more = await GetAsync(office, "six cases");

        Assert.Equal(Running(few) + 5, Running(more)); // the page counts the cases: the database did change under it
        var described = $"one case:\n{Log.Describe("one case")}\nsix cases:\n{Log.Describe("six cases")}";
        TestContext.Current.TestOutputHelper?.WriteLine(described);
        Assert.Contains(Log.For("one case"), sql => sql.Contains("SELECT", StringComparison.OrdinalIgnoreCase));
        Assert.True(Log.For("one case").Count == Log.For("six cases").Count, described);
        Assert.DoesNotContain(Log.For("six cases"), sql => sql.Contains("GROUP BY", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_visitors_page_reads_nothing_from_the_database()
    {
        await Api.SubmitAsync();
        using var office = await _host.SignInAsync(People.Office);
        await GetAsync(office, "signed in"); // the log sees this host's commands: a visitor's zero is not a deaf interceptor
        Assert.NotEmpty(Log.For("signed in"));
        using var visitor = new CookieBrowser(_host.Factory);

        var html = await GetAsync(visitor, "visitor");

        Assert.Contains("href=\"/account/login\"", html, StringComparison.Ordinal);
        Assert.Empty(Log.For("visitor"));
    }

    private static async Task<string> GetAsync(CookieBrowser browser, string tag)
    {
        var (status, html) = await CountedHost.GetPageAsync(browser, tag, "/");
        Assert.Equal(HttpStatusCode.OK, status);
        return html;
    }

    private static int Running(string html) => int.Parse(RunningCount().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("本社区办理中的事项 (\\d+) 件")]
    private static partial Regex RunningCount();
}

public sealed class LandingPageCostOnSqlite : LandingPageCostTests
{
    protected override bool OnPostgreSql => false;
}

public sealed class LandingPageCostOnPostgreSql : LandingPageCostTests
{
    protected override bool OnPostgreSql => true;
}
