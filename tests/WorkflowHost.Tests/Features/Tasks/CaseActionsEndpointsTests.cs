using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Tasks;

/// <summary>
/// The case actions over HTTP, signed in for real: correcting a returned file, withdrawing, extending a deadline,
/// comments, urging (催办) and closing an overdue ballot, each with its refusals (400, 403, 404, 409) changing nothing.
/// </summary>
public sealed class CaseActionsEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    private static string OpenStep(JsonNode instance, string activity) =>
        instance["currentSteps"]!.AsArray().Single(s => s!["activity"]!.GetValue<string>() == activity)!["stepId"]!.GetValue<string>();

    private async Task<(Guid Id, string Amend)> ReturnedAsync()
    {
        var id = await Api.SubmitAsync();
        var returned = await Api.PostAsync(People.Office, ApiDriver.Step(id, "office-check#1", "complete"), new { outcome = "return", comment = "请补充推荐理由。" });
        Assert.True(returned.Status == HttpStatusCode.OK, returned.ToString());
        return (id, OpenStep(await Api.InstanceAsync(id), "amend"));
    }

    [Fact]
    public async Task A_returned_file_is_corrected_and_the_instance_shows_only_the_fields_that_changed()
    {
        var (id, amend) = await ReturnedAsync();
        var input = ApiDriver.ConsultationInput();
        input["reason"] = "工作扎实，连续三年获评社区优秀志愿者。";

        var invalid = input.DeepClone().AsObject();
        invalid["kind"] = "bonus";
        var refused = await Api.PostAsync(People.Liaison, ApiDriver.Step(id, amend, "complete"), new { outcome = "resubmit", input = invalid });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.OtherLiaison, ApiDriver.Step(id, amend, "complete"), new { outcome = "resubmit", input })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Office, ApiDriver.Step(id, amend, "complete"), new { outcome = "resubmit", input })).Status);
        Assert.Equal(amend, OpenStep(await Api.InstanceAsync(id), "amend"));

        var done = await Api.PostAsync(People.Liaison, ApiDriver.Step(id, amend, "complete"), new { outcome = "resubmit", input });
        Assert.True(done.Status == HttpStatusCode.OK, done.ToString());

        var instance = await Api.InstanceAsync(id, People.Office);
        var change = Assert.Single(Assert.Single(instance["amendments"]!.AsArray())!["changes"]!.AsArray())!;
        Assert.Equal("reason", change["field"]!.GetValue<string>());
        Assert.Equal("工作扎实，积极参加社区志愿服务。", change["before"]!.GetValue<string>());
        Assert.Equal("工作扎实，连续三年获评社区优秀志愿者。", change["after"]!.GetValue<string>());
        OpenStep(instance, "office-check");
    }

    [Fact]
    public async Task Only_the_submitting_liaison_withdraws_and_only_before_the_end()
    {
        var id = await Api.SubmitAsync();
        var path = $"/api/instances/{id}/withdraw";

        Assert.Equal(HttpStatusCode.BadRequest, (await Api.PostAsync(People.Liaison, path, new { reason = new string('x', 501) })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.OtherLiaison, path, new { reason = "不是本单位的" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Office, path, new { reason = "办公室不能撤回" })).Status);
        Assert.Equal("running", (await Api.InstanceAsync(id))["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Liaison, path, new { reason = "人选已调离本单位。" })).Status);
        Assert.Equal("withdrawn", (await Api.InstanceAsync(id))["status"]!.GetValue<string>());
        var again = await Api.PostAsync(People.Liaison, path, new { reason = "再次撤回" });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("instanceEnded", again.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_secretary_extends_a_deadline_with_a_reason_and_nobody_else_may()
    {
        var id = await Api.SubmitAsync();
        var path = ApiDriver.Step(id, "office-check#1", "deadline");
        var before = (await Api.InstanceAsync(id))["currentSteps"]![0]!["dueAt"]!.GetValue<DateTimeOffset>();

        Assert.Equal(HttpStatusCode.BadRequest, (await Api.PostAsync(People.Secretary, path, new { extendByWorkingDays = 2 })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Office, path, new { extendByWorkingDays = 2, reason = "材料较多" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.Secretary, ApiDriver.Step(id, "office-check#99", "deadline"), new { extendByWorkingDays = 2, reason = "材料较多" })).Status);

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Secretary, path, new { extendByWorkingDays = 2, reason = "材料较多，需核实。" })).Status);
        Assert.True((await Api.InstanceAsync(id))["currentSteps"]![0]!["dueAt"]!.GetValue<DateTimeOffset>() > before);
    }

    [Fact]
    public async Task Comments_are_listed_to_whoever_sees_the_instance_and_refused_to_others()
    {
        var id = await Api.SubmitAsync();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/comments", new { text = "附件已补充。" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, $"/api/instances/{id}/comments", new { text = "收到。", step = "office-check#1" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.PostAsync(People.Office, $"/api/instances/{id}/comments", new { text = "" })).Status);

        var list = await Api.GetAsync(People.Secretary, $"/api/instances/{id}/comments");
        Assert.True(list.Status == HttpStatusCode.OK, list.ToString());
        var comments = list.Body.AsArray();
        Assert.Equal(["附件已补充。", "收到。"], comments.Select(c => c!["text"]!.GetValue<string>()));
        Assert.Equal(People.Liaison, comments[0]!["author"]!["id"]!.GetValue<string>());
        Assert.Equal("office-check#1", comments[1]!["stepId"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.OtherLiaison, $"/api/instances/{id}/comments")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.Secretary, $"/api/instances/{Guid.NewGuid()}/comments")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync(null, $"/api/instances/{id}/comments")).Status);
    }

    [Fact]
    public async Task The_office_urges_a_ballot_once_a_working_day_and_the_step_shows_it()
    {
        var id = await Api.AtBallotAsync();
        var path = ApiDriver.Step(id, "committee-ballot#2", "urge");

        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Member, path, null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Liaison, path, null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.Office, ApiDriver.Step(id, "committee-ballot#9", "urge"), null)).Status);

        var urged = await Api.PostAsync(People.Office, path, null);
        Assert.True(urged.Status == HttpStatusCode.OK, urged.ToString());
        var again = await Api.PostAsync(People.Secretary, path, null);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("alreadyUrged", again.Body["code"]!.GetValue<string>());

        var step = (await Api.InstanceAsync(id))["currentSteps"]![0]!;
        Assert.Single(step["urgedOn"]!.AsArray());
        Assert.NotNull(step["links"]!["urge"]);
    }

    [Fact]
    public async Task The_secretary_closes_an_overdue_ballot_without_a_quorum_and_it_goes_to_review_never_to_consent()
    {
        var id = await Api.AtBallotAsync();
        var path = ApiDriver.Step(id, "committee-ballot#2", "close");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "consent" })).Status);

        var early = await Api.PostAsync(People.Secretary, path, new { reason = "提前结束" });
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal("notOverdue", early.Body["code"]!.GetValue<string>());

        fixture.Factory.Time.Advance(TimeSpan.FromDays(14));
        Api.ForgetTokens();
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.PostAsync(People.Secretary, path, new { reason = " " })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Office, path, new { reason = "逾期" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.OtherLiaison, path, new { reason = "逾期" })).Status);
        Assert.NotNull((await Api.InstanceAsync(id))["currentSteps"]![0]!["links"]!["closeOverdue"]);

        var closed = await Api.PostAsync(People.Secretary, path, new { reason = "逾期五个工作日，仅一人表决。" });
        Assert.True(closed.Status == HttpStatusCode.OK, closed.ToString());
        var instance = await Api.InstanceAsync(id);
        Assert.Equal("running", instance["status"]!.GetValue<string>());
        OpenStep(instance, "no-quorum-review");
        Assert.Equal("no-quorum", instance["pastSteps"]!.AsArray().Single(s => s!["activity"]!.GetValue<string>() == "committee-ballot")!["ballot"]!["outcome"]!.GetValue<string>());
        var timeline = await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline");
        Assert.Contains(timeline.Body["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "BallotClosedBySecretary");
    }
}
