using System.Net;
using System.Text.RegularExpressions;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// The header's count of open work, on every signed-in page: the database counts it in one command and reads no row of
/// it, and the number is always the inbox's length, whoever reads it (ballots, a task delegated to them, a task a
/// colleague claimed, a recused member, none at all). On both databases, signed in through the real form.
/// </summary>
public abstract partial class OpenCountPageTests : IAsyncLifetime
{
    private const string OfficeLu = "p-office-lu";
    private const string Check = "office-check#1";

    private CountedHost _host = null!;

    /// <summary>True for the PostgreSQL subclass: the host gets a database of its own on the test server.</summary>
    protected abstract bool OnPostgreSql { get; }

    /// <summary>
    /// The most commands the preferences page may send, on both databases: the session's check, the header's count, the
    /// page's two reads. Five while the header read the open tasks and the open ballots to count them.
    /// </summary>
    private const int PreferencesBudget = 4;

    private ApiDriver Api => _host.Api;

    public async ValueTask InitializeAsync() => _host = await CountedHost.StartAsync(OnPostgreSql);

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task The_headers_count_equals_the_inboxs_rows_for_every_kind_of_holder()
    {
        await WorkForEveryKindOfHolderAsync();
        var expected = new Dictionary<string, int>
        {
            [People.Member] = 3,      // two ballots and the check delegated to him
            [People.Office] = 2,      // the check he holds (delegated) and the one his colleague claimed
            [OfficeLu] = 2,           // the same two, both held by a colleague
        };

        foreach (var person in new[] { People.Member, People.Office, OfficeLu, People.UnitsMember, People.Secretary, People.Liaison })
        {
            using var browser = await _host.SignInAsync(person);
            var (status, html) = await CountedHost.GetPageAsync(browser, "inbox of " + person, "/inbox");

            Assert.Equal(HttpStatusCode.OK, status);
            var rows = InboxRow().Count(html);
            Assert.True(Header(html) == rows, $"{person}: the header says {Header(html)}, the inbox lists {rows}");
            if (expected.TryGetValue(person, out var count))
            {
                Assert.True(count == rows, $"{person}: {rows} rows, expected {count}");
            }
        }
    }

    [Fact]
    public async Task A_signed_in_page_counts_the_open_work_in_one_command_without_reading_it()
    {
        await WorkForEveryKindOfHolderAsync();
        using var member = await _host.SignInAsync(People.Member);
        await CountedHost.GetPageAsync(member, "warm-up", "/preferences");

        var (status, html) = await CountedHost.GetPageAsync(member, "preferences", "/preferences");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, Header(html));
        var touchingWork = _host.Log.For("preferences").Where(sql => sql.Contains("WorkItems", StringComparison.Ordinal)).ToList();
        var one = Assert.Single(touchingWork);
        Assert.Contains("COUNT(", one, StringComparison.OrdinalIgnoreCase);
        _host.AssertWithin("preferences", PreferencesBudget, mustInclude: "COUNT(");
    }

    /// <summary>
    /// Two ballots (Liu recused: Gao's unit is his), a check the office claimed and delegated to member Li, and a check
    /// Lu claimed: every way a line gets into, or stays out of, an inbox.
    /// </summary>
    private async Task WorkForEveryKindOfHolderAsync()
    {
        await Api.AtBallotAsync();
        await Api.AtBallotAsync();
        var delegated = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(delegated, Check, "claim"), null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(delegated, Check, "delegate"), new { to = People.Member, note = "请李委员先看推荐材料" })).Status);
        var claimed = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(OfficeLu, ApiDriver.Step(claimed, Check, "claim"), null)).Status);
    }

    private static int Header(string html) =>
        int.Parse(HeaderCount().Match(html) is { Success: true } match ? match.Groups[1].Value : "-1", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("data-test=\"open-count\"[^>]*>(\\d+)<")]
    private static partial Regex HeaderCount();

    [GeneratedRegex("data-test=\"inbox-item\"")]
    private static partial Regex InboxRow();
}

public sealed class OpenCountPageOnSqlite : OpenCountPageTests
{
    protected override bool OnPostgreSql => false;
}

public sealed class OpenCountPageOnPostgreSql : OpenCountPageTests
{
    protected override bool OnPostgreSql => true;
}
