using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// The landing page at / (decision 150) on a host with three communities, each with a case: a visitor sees the product
/// and the processes and no community's name or figure; a signed-in person sees their own community's summary and
/// nothing of the others'. Signed in through the sign-in form.
/// </summary>
public sealed partial class LandingPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_visitor_sees_the_product_the_sign_in_link_and_the_processes_and_no_community_name_or_count()
    {
        using var visitor = new CookieBrowser(fixture.Factory);
        using var response = await visitor.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("href=\"/account/login\"", html, StringComparison.Ordinal);
        Assert.Contains("<code>promotion-consultation</code>", html, StringComparison.Ordinal);
        Assert.Contains("评先评优、提拔使用征求意见", html, StringComparison.Ordinal);
        foreach (var name in await DirectoryNamesAsync())
        {
            Assert.DoesNotContain(name, html, StringComparison.Ordinal);
        }

        // No figure of any kind: outside the process table, the text a visitor reads has no digit at all.
        var text = Tags().Replace(ProcessTable().Replace(html, ""), " ");
        Assert.DoesNotMatch(Digit(), text);
    }

    [Fact]
    public async Task The_office_sees_its_own_communitys_summary_with_the_ledgers_count_and_nothing_of_another_community()
    {
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var (status, html) = await GetAsync(office, "/");
        var running = (await fixture.Api.GetAsync(People.Office, "/api/ledger?state=running")).Body["total"]!.GetValue<int>();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("滨河社区", html, StringComparison.Ordinal);
        Assert.Contains($"本社区办理中的事项 {running} 件。", html, StringComparison.Ordinal);
        Assert.Contains("data-test=\"overdue\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("河畔社区", html, StringComparison.Ordinal);
        Assert.DoesNotContain("山顶社区", html, StringComparison.Ordinal);

        // Riverside's office: its one case, its own name, nothing of Binhe's.
        using var riverside = await CookieBrowser.SignedInAsync(fixture.Factory, "p-office-riverside");
        var (_, theirs) = await GetAsync(riverside, "/");
        Assert.Contains("河畔社区", theirs, StringComparison.Ordinal);
        Assert.Contains("本社区办理中的事项 1 件。", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("滨河社区", theirs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_liaison_sees_their_work_and_notices_but_not_the_communitys_case_counts()
    {
        await fixture.Api.SubmitAsync();
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);

        var (status, html) = await GetAsync(liaison, "/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("滨河社区", html, StringComparison.Ordinal);
        Assert.Contains("data-test=\"my-work\"", html, StringComparison.Ordinal);
        Assert.Contains("data-test=\"unread\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"running\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"overdue\"", html, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(CookieBrowser browser, string path)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every community, street and unit name of the directory, as the database holds them now.</summary>
    private async Task<IReadOnlyList<string>> DirectoryNamesAsync()
    {
        await using var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var communities = await db.Communities.Select(c => new[] { c.NameZh, c.NameEn, c.StreetZh, c.StreetEn }).ToListAsync();
        var units = await db.Units.Select(u => new[] { u.NameZh, u.NameEn }).ToListAsync();
        var names = communities.Concat(units).SelectMany(n => n).Where(n => n.Length > 0).Distinct().ToList();
        Assert.Contains("滨河社区", names);
        return names;
    }

    [GeneratedRegex("<table data-test=\"processes\">.*?</table>", RegexOptions.Singleline)]
    private static partial Regex ProcessTable();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("[0-9]")]
    private static partial Regex Digit();
}
