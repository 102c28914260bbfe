using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Withdrawals;

/// <summary>
/// Taking back what was given (decision 139) over HTTP, signed in for real on a SQLite file: a copy withdrawn, a delegate's
/// reading ended, an attendance entry removed. Each reader loses access at once and is told why, in Chinese or English;
/// refusals are problems with codes that change nothing in the database (so they tell nobody).
/// </summary>
public sealed class WithdrawalsEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Zhang = "p-member-zhang";
    private const string Zhou = "p-inservice-zhou";
    private const string Check = "office-check#1";

    private ApiDriver Api => fixture.Api;

    private static void AssertProblem(Reply reply, HttpStatusCode status, string code)
    {
        Assert.True(reply.Status == status, reply.ToString());
        Assert.Equal(code, reply.Body["code"]!.GetValue<string>());
    }

    /// <summary>
    /// <paramref name="who"/> sends a request that must be refused with <paramref name="status"/> and leave the database as it
    /// was; they sign in first, since a first sign-in opens a session of its own.
    /// </summary>
    private async Task<Reply> RefusedAsync(string who, HttpStatusCode status, Func<string, Task<Reply>> send)
    {
        await Api.TokenAsync(who);
        var before = await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);
        var reply = await send(who);
        Assert.True(reply.Status == status, reply.ToString());
        var after = await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);
        Assert.True(before == after, before.Difference(after));
        return reply;
    }

    /// <summary>The notices of one template to a person (about one case or activity), rendered as the notifications page and e-mail do.</summary>
    private async Task<IReadOnlyList<(RenderedText Chinese, RenderedText English, bool HasCaseLink)>> NoticesAsync(string person, string template, string about)
    {
        var contexts = fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var rows = await db.Notifications.Where(n => n.RecipientId == person && n.Template == template).ToListAsync();
        var texts = fixture.Factory.Services.GetRequiredService<NotificationTexts>();
        return [.. rows.Select(n => (Row: n, Data: JsonNode.Parse(n.DataJson)!.AsObject()))
            .Where(n => n.Data["instance"]?.GetValue<string>() == about || n.Data["activity"]?.GetValue<string>() == about)
            .Select(n => (texts.Render(template, "zh-CN", n.Data, null), texts.Render(template, "en", n.Data, null),
                WorkflowHost.Pages.NotificationsModel.CaseOf(n.Row) is not null))];
    }

    private async Task<bool> ListedAsCopiedAsync(string person, Guid id) =>
        (await Api.GetAsync(person, "/api/inbox/copied?pageSize=100")).Body["items"]!.AsArray().Any(i => i!["instanceId"]!.GetValue<Guid>() == id);

    [Fact]
    public async Task The_unit_withdraws_a_copy_and_the_person_loses_the_case_at_once_and_a_second_withdrawal_is_a_conflict()
    {
        var id = await Api.SubmitAsync();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = new[] { Zhang } })).Status);
        Assert.True(await ListedAsCopiedAsync(Zhang, id));
        var path = $"/api/instances/{id}/copies/{Zhang}/withdrawal";

        var noReason = await RefusedAsync(People.Liaison, HttpStatusCode.BadRequest, who => Api.PostAsync(who, path, new { reason = " " }));
        Assert.NotNull(noReason.Body["errors"]!["reason"]);
        AssertProblem(await RefusedAsync(People.Street, HttpStatusCode.Forbidden, who => Api.PostAsync(who, path, new { reason = "无权撤回" })), HttpStatusCode.Forbidden, "notAllowed");
        AssertProblem(await RefusedAsync(People.Liaison, HttpStatusCode.NotFound, who => Api.PostAsync(who, $"/api/instances/{id}/copies/{People.Member}/withdrawal", new { reason = "未抄送" })),
            HttpStatusCode.NotFound, "notFound");
        await RefusedAsync(People.OtherLiaison, HttpStatusCode.NotFound, who => Api.PostAsync(who, path, new { reason = "看不到此件" }));

        var withdrawn = await Api.PostAsync(People.Liaison, path, new { reason = "抄送对象有误" });
        Assert.True(withdrawn.Status == HttpStatusCode.OK, withdrawn.ToString());

        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(Zhang, $"/api/instances/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(Zhang, $"/api/instances/{id}/timeline")).Status);
        Assert.False(await ListedAsCopiedAsync(Zhang, id));
        var timeline = (await Api.GetAsync(People.Office, $"/api/instances/{id}/timeline")).Text;
        Assert.Contains("CaseCopyWithdrawn", timeline, StringComparison.Ordinal);
        Assert.Contains("抄送对象有误", timeline, StringComparison.Ordinal);
        AssertProblem(await RefusedAsync(People.Office, HttpStatusCode.Conflict, who => Api.PostAsync(who, path, new { reason = "再次" })), HttpStatusCode.Conflict, "alreadyWithdrawn");

        // Told once, with the reason, and not sent to a case they can no longer open.
        var (chinese, english, hasCaseLink) = Assert.Single(await NoticesAsync(Zhang, "case-copy-withdrawn", id.ToString()));
        Assert.Contains("【撤回抄送】", chinese.Subject, StringComparison.Ordinal);
        Assert.Contains("您已不能再查看此件。原因：抄送对象有误", chinese.Body, StringComparison.Ordinal);
        Assert.Contains("you can no longer open it. Reason: 抄送对象有误", english.Body, StringComparison.Ordinal);
        Assert.False(hasCaseLink);
    }

    [Fact]
    public async Task The_delegating_office_ends_a_delegates_reading_and_the_delegate_then_gets_404_like_a_stranger()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "delegate"), new { to = People.Member, note = "请李委员先看材料" })).Status);
        var path = $"/api/instances/{id}/delegates/{People.Member}/reading-end";

        AssertProblem(await RefusedAsync(People.Office, HttpStatusCode.Conflict, who => Api.PostAsync(who, path, new { reason = "无需查阅" })), HttpStatusCode.Conflict, "delegated");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Member, ApiDriver.Step(id, Check, "return"), new { note = "材料完整" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync(People.Member, $"/api/instances/{id}")).Status);

        AssertProblem(await RefusedAsync(People.OtherLiaison, HttpStatusCode.Forbidden, who => Api.PostAsync(who, path, new { reason = "我是提交人" })), HttpStatusCode.Forbidden, "notAllowed");
        AssertProblem(await RefusedAsync(People.Office, HttpStatusCode.NotFound, who => Api.PostAsync(who, $"/api/instances/{id}/delegates/{Zhang}/reading-end", new { reason = "未委派" })),
            HttpStatusCode.NotFound, "notFound");
        var tooLong = await RefusedAsync(People.Office, HttpStatusCode.BadRequest, who => Api.PostAsync(who, path, new { reason = new string('长', 501) }));
        Assert.NotNull(tooLong.Body["errors"]!["reason"]);

        var ended = await Api.PostAsync(People.Office, path, new { reason = "核对已完成，不再需要查阅" });
        Assert.True(ended.Status == HttpStatusCode.OK, ended.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.Member, $"/api/instances/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.Member, $"/api/instances/{id}/comments", new { text = "还能评论吗？" })).Status);
        Assert.Contains("DelegateReadingEnded", (await Api.GetAsync(People.OtherLiaison, $"/api/instances/{id}/timeline")).Text, StringComparison.Ordinal);
        AssertProblem(await RefusedAsync(People.Office, HttpStatusCode.Conflict, who => Api.PostAsync(who, path, new { reason = "再次" })), HttpStatusCode.Conflict, "alreadyWithdrawn");
        var (chinese, english, _) = Assert.Single(await NoticesAsync(People.Member, "case-reading-ended", id.ToString()));
        Assert.Contains("【结束查阅】", chinese.Subject, StringComparison.Ordinal);
        Assert.Contains("原因：核对已完成，不再需要查阅", chinese.Body, StringComparison.Ordinal);
        Assert.Contains("Reading ended", english.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_office_removes_a_wrong_attendance_entry_the_counts_drop_and_removing_it_again_is_a_conflict()
    {
        var started = await Api.PostAsync("p-liaison-han", "/api/instances", new
        {
            process = "activity-co-organisation",
            input = new { title = "误勾选的志愿活动", date = "2026-12-12", startTime = "09:00", endTime = "11:00", place = "社区广场", description = "驻区单位与居民共同参加。", budget = 500 },
        });
        var activity = started.Body["instanceId"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance", new { present = new[] { Zhou } })).Status);
        async Task<int> RosterCountAsync() =>
            (await Api.GetAsync(People.Office, "/api/in-service/roster")).Body.AsArray().Single(r => r!["personId"]!.GetValue<string>() == Zhou)!["activitiesThisYear"]!.GetValue<int>();
        var rosterBefore = await RosterCountAsync();
        var path = $"/api/in-service/activities/{activity}/attendance/{Zhou}/removal";

        AssertProblem(await RefusedAsync(People.InService, HttpStatusCode.Forbidden, who => Api.PostAsync(who, path, new { reason = "不是办公室" })), HttpStatusCode.Forbidden, "notAllowed");
        var noReason = await RefusedAsync(People.Office, HttpStatusCode.BadRequest, who => Api.PostAsync(who, path, new { }));
        Assert.NotNull(noReason.Body["errors"]!["reason"]);
        AssertProblem(await RefusedAsync(People.Office, HttpStatusCode.NotFound, who => Api.PostAsync(who, $"/api/in-service/activities/{activity}/attendance/{People.InService}/removal", new { reason = "未计入" })),
            HttpStatusCode.NotFound, "notFound");

        var removed = await Api.PostAsync(People.Office, path, new { reason = "勾错了人" });
        Assert.True(removed.Status == HttpStatusCode.OK, removed.ToString());

        var sheet = (await Api.GetAsync(People.Office, $"/api/in-service/activities/{activity}/attendance")).Body;
        Assert.Null(sheet["members"]!.AsArray().Single(m => m!["personId"]!.GetValue<string>() == Zhou)!["source"]);
        Assert.Equal(rosterBefore - 1, await RosterCountAsync());
        AssertProblem(await RefusedAsync(People.Office, HttpStatusCode.Conflict, who => Api.PostAsync(who, path, new { reason = "再次" })), HttpStatusCode.Conflict, "attendanceRemoved");
        var (chinese, english, hasCaseLink) = Assert.Single(await NoticesAsync(Zhou, "attendance-removed", activity.ToString()));
        Assert.Contains("移除了您参加「误勾选的志愿活动」（2026-12-12）的记录", chinese.Body, StringComparison.Ordinal);
        Assert.Contains("原因：勾错了人", chinese.Body, StringComparison.Ordinal);
        Assert.Contains("The office removed your attendance at \"误勾选的志愿活动\"", english.Body, StringComparison.Ordinal);
        Assert.False(hasCaseLink);
        var removals = (await Api.GetAsync(People.Office, $"/api/in-service/activities/{activity}/attendance/removals")).Body.AsArray();
        var kept = Assert.Single(removals)!;
        Assert.Equal((Zhou, "office", People.Office, "勾错了人"),
            (kept["personId"]!.GetValue<string>(), kept["source"]!.GetValue<string>(), kept["removedBy"]!.GetValue<string>(), kept["reason"]!.GetValue<string>()));

        // Recorded again after the removal, the member counts once more.
        Assert.Equal(1, (await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance", new { present = new[] { Zhou } })).Body["added"]!.GetValue<int>());
        Assert.Equal(rosterBefore, await RosterCountAsync());
    }
}
