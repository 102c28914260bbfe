using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Notifications;
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
        var (chinese, english) = await OutcomeNoticeAsync(id);
        Assert.Contains("结果：已撤回", chinese.Body, StringComparison.Ordinal);
        Assert.Contains("result: withdrawn", english.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_outcome_notice_gives_the_result_in_the_words_of_the_definitions_end_not_its_key()
    {
        var id = await Api.AtBallotAsync();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = new[] { Zhang } })).Status);
        // 13 eligible (Liu is recused): the 7th consent decides the ballot, and the consultation ends at end-consent.
        foreach (var member in (string[])["p-member-li", Zhang, "p-member-chen", "p-member-zhao", "p-member-sun", "p-member-zhou", "p-member-wu"])
        {
            var vote = await Api.PostAsync(member, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "consent" });
            Assert.True(vote.Status == HttpStatusCode.OK, vote.ToString());
        }

        Assert.Equal("consent", (await Api.InstanceAsync(id))["result"]!.GetValue<string>());
        var (chinese, english) = await OutcomeNoticeAsync(id);
        Assert.Contains("已办结，结果：同意。", chinese.Body, StringComparison.Ordinal);   // end-consent's label
        Assert.Contains("result: Consent.", english.Body, StringComparison.Ordinal);
    }

    /// <summary>The stored outcome notice to Zhang, rendered by the host's texts as the notifications page and e-mail do.</summary>
    private async Task<(RenderedText Chinese, RenderedText English)> OutcomeNoticeAsync(Guid id)
    {
        var contexts = fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var notice = await db.Notifications.SingleAsync(n => n.InstanceId == id && n.RecipientId == Zhang && n.Template == "case-outcome");
        var texts = fixture.Factory.Services.GetRequiredService<NotificationTexts>();
        var data = JsonNode.Parse(notice.DataJson)!.AsObject();
        return (texts.Render(notice.Template, "zh-CN", data, "张委员"), texts.Render(notice.Template, "en", data, "Zhang"));
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
