using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Copies;

/// <summary>
/// 抄送 over HTTP, signed in for real: the unit copies a committee member, who can then read the case (and only then),
/// finds it under "copied to me", and is told its outcome; refusals are 403/409 problems that change nothing.
/// </summary>
public sealed class CopiesEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Zhang = "p-member-zhang";

    private ApiDriver Api => fixture.Api;

    private static void AssertProblem(Reply reply, HttpStatusCode status, string code)
    {
        Assert.True(reply.Status == status, reply.ToString());
        Assert.Equal(code, reply.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_copied_member_reads_the_case_finds_it_under_copied_to_me_and_is_told_its_outcome()
    {
        var id = await Api.SubmitAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(Zhang, $"/api/instances/{id}")).Status);

        var copied = await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = new[] { Zhang }, note = "请张委员知悉" });
        Assert.True(copied.Status == HttpStatusCode.OK, copied.ToString());

        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync(Zhang, $"/api/instances/{id}")).Status);
        var mine = (await Api.GetAsync(Zhang, "/api/inbox/copied")).Body;
        var line = Assert.Single(mine["items"]!.AsArray(), i => i!["instanceId"]!.GetValue<Guid>() == id)!;
        Assert.Equal(People.Liaison, line["copiedBy"]!["id"]!.GetValue<string>());
        Assert.DoesNotContain((await Api.GetAsync(Zhang, "/api/inbox")).Body.AsArray(), i => i!["instanceId"]!.GetValue<Guid>() == id);
        var timeline = (await Api.GetAsync(People.Office, $"/api/instances/{id}/timeline")).Text;
        Assert.Contains("CaseCopied", timeline, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/withdraw", new { reason = "人选调整" })).Status);
        var contexts = fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var templates = await db.Notifications.Where(n => n.InstanceId == id && n.RecipientId == Zhang).Select(n => n.Template).ToListAsync();
        Assert.Equal(["case-copied", "case-outcome"], templates.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Copying_by_someone_else_to_someone_not_allowed_twice_or_with_nobody_is_refused_and_changes_nothing()
    {
        var id = await Api.SubmitAsync();

        AssertProblem(await Api.PostAsync(People.Street, $"/api/instances/{id}/copies", new { to = new[] { Zhang } }), HttpStatusCode.Forbidden, "notAllowed");
        AssertProblem(await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = new[] { People.OtherLiaison } }), HttpStatusCode.Forbidden, "notAllowed");
        var empty = await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = Array.Empty<string>() });
        Assert.True(empty.Status == HttpStatusCode.BadRequest && empty.Body["errors"]!["to"] is not null, empty.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.OtherLiaison, $"/api/instances/{id}/copies", new { to = new[] { Zhang } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(Zhang, $"/api/instances/{id}")).Status);

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, $"/api/instances/{id}/copies", new { to = new[] { Zhang } })).Status);
        AssertProblem(await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = new[] { Zhang } }), HttpStatusCode.Conflict, "alreadyCopied");
        var bad = await Api.GetAsync(Zhang, "/api/inbox/copied?pageSize=0");
        Assert.True(bad.Status == HttpStatusCode.BadRequest && bad.Body["errors"]!["pageSize"] is not null, bad.ToString());
    }
}
