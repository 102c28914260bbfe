using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Communities;

/// <summary>
/// Decision 152 through the directory API, signed in for real: a member of the housing bureau made its liaison reads the
/// unit's letter at once (the role is read on every request) and has a notice naming it; a refused grant writes no notice;
/// once the role ends the letters are closed to them again.
/// </summary>
public sealed class LiaisonLetterNoticesApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Roles = "/api/communities/binhe/people/p-inservice-zhou/roles";
    private const string Zhou = "p-inservice-zhou"; // an in-service member of the housing bureau, not its liaison

    private ApiDriver Api => fixture.Api;

    private async Task<List<JsonNode>> NoticesToZhouAsync()
    {
        await using var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var rows = await db.Notifications.AsNoTracking().Where(n => n.RecipientId == Zhou && n.Template == LiaisonLetterNotices.Template)
            .Select(n => n.DataJson).ToListAsync();
        return [.. rows.Select(r => JsonNode.Parse(r)!)];
    }

    [Fact]
    public async Task A_member_made_the_units_liaison_reads_its_letter_at_once_and_is_told_of_it_and_loses_it_with_the_role()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync(Zhou, "/api/in-service/letters")).Status);
        var letter = Assert.Single((await Api.GetAsync(People.Liaison, "/api/in-service/letters")).Body.AsArray())!["number"]!.GetValue<string>();

        var refused = await Api.PostAsync(People.Administrator, Roles, new { role = "unit-liaison", from = "2026-12-31" }); // not yet happened
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Empty(await NoticesToZhouAsync());

        var granted = await Api.PostAsync(People.Administrator, Roles, new { role = "unit-liaison", from = "2026-11-27" });
        Assert.True(granted.Status == HttpStatusCode.OK, granted.ToString());
        var read = await Api.GetAsync(Zhou, "/api/in-service/letters");
        Assert.True(read.Status == HttpStatusCode.OK, read.ToString());
        Assert.Equal([letter], read.Body.AsArray().Select(l => l!["number"]!.GetValue<string>()));
        var notice = Assert.Single(await NoticesToZhouAsync());
        Assert.Equal((letter, $"/in-service/letters/{letter}"), (notice["number"]!.GetValue<string>(), notice["link"]!.GetValue<string>()));

        var ended = await Api.PostAsync(People.Administrator, $"{Roles}/unit-liaison/end", new { on = "2026-11-27" });
        Assert.True(ended.Status == HttpStatusCode.OK, ended.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync(Zhou, $"/api/in-service/letters/{letter}")).Status);
        Assert.Single(await NoticesToZhouAsync()); // ending the role tells nothing new
    }
}
