using System.Net;
using System.Net.Http.Headers;
using WorkflowHost.Tests.Features.Accounts;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Scheduling;

/// <summary>
/// The Hangfire dashboard and the list of failed e-mail deliveries are for administrators, as the directory knows them
/// (decision 20): people sign in for real, by cookie and by bearer token, and nothing injects a role claim. Sign-in
/// issues none, so a check that looked for one refused the real administrator (issue 20).
/// </summary>
public sealed class DashboardAccessTests
{
    public static TheoryData<string, string?, HttpStatusCode> Cases => new()
    {
        { "/hangfire", null, HttpStatusCode.Unauthorized },
        { "/hangfire", People.Member, HttpStatusCode.Forbidden },
        { "/hangfire", People.Secretary, HttpStatusCode.Forbidden },
        { "/hangfire", People.Administrator, HttpStatusCode.OK },
        { "/api/admin/notifications/failed", null, HttpStatusCode.Unauthorized },
        { "/api/admin/notifications/failed", People.Member, HttpStatusCode.Forbidden },
        { "/api/admin/notifications/failed", People.Administrator, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_an_administrator_signed_in_by_cookie_gets_in(string path, string? person, HttpStatusCode expected)
    {
        await using var factory = new HostFactory();
        using var browser = person is null ? new CookieBrowser(factory) : await CookieBrowser.SignedInAsync(factory, person);
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_an_administrator_signed_in_by_bearer_token_gets_in(string path, string? person, HttpStatusCode expected)
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (person is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await SessionTests.SignInAsync(factory, person)).Access);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        if (path.StartsWith("/api", StringComparison.Ordinal) && expected == HttpStatusCode.OK)
        {
            Assert.Equal("[]", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task A_role_taken_away_in_the_directory_closes_the_dashboard_at_once()
    {
        await using var factory = new HostFactory();
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Administrator);
        Assert.Equal(HttpStatusCode.OK, await browser.GetStatusAsync("/hangfire"));

        var contexts = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<
            Microsoft.EntityFrameworkCore.IDbContextFactory<WorkflowHost.Persistence.WorkflowDbContext>>(factory.Services);
        await using (var db = await contexts.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            db.PersonRoles.RemoveRange(db.PersonRoles.Where(r => r.PersonId == People.Administrator && r.Role == "administrator"));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await browser.GetStatusAsync("/hangfire"));
    }
}
