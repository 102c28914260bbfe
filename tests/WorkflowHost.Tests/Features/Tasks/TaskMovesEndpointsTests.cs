using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Tasks;

/// <summary>
/// Claim, release, transfer, delegate and hand back over HTTP, signed in for real: each refusal is a problem with a code
/// a client can branch on (403 notAllowed, 409 alreadyClaimed / notHolder / delegated) and changes nothing.
/// </summary>
public sealed class TaskMovesEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string OfficeLu = "p-office-lu";
    private const string Check = "office-check#1";

    private ApiDriver Api => fixture.Api;

    private static JsonNode CheckStep(JsonNode instance) =>
        instance["currentSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == Check)!;

    private static void AssertProblem(Reply reply, HttpStatusCode status, string code)
    {
        Assert.True(reply.Status == status, reply.ToString());
        Assert.Equal("application/problem+json", reply.Message.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, reply.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_office_claims_the_check_the_other_claim_gets_409_and_both_see_the_holder()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);

        var claimed = await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null);
        Assert.True(claimed.Status == HttpStatusCode.OK, claimed.ToString());
        var second = await Api.PostAsync(OfficeLu, ApiDriver.Step(id, Check, "claim"), null);

        AssertProblem(second, HttpStatusCode.Conflict, "alreadyClaimed");
        var seenByLu = CheckStep(await Api.InstanceAsync(id, OfficeLu));
        Assert.Equal(People.Office, seenByLu["task"]!["holder"]!["id"]!.GetValue<string>());
        Assert.False(seenByLu["task"]!["canComplete"]!.GetValue<bool>());
        Assert.Null(seenByLu["links"]?["moves"]);
        var inbox = (await Api.GetAsync(OfficeLu, "/api/inbox")).Body.AsArray();
        var line = inbox.Single(i => i!["instanceId"]!.GetValue<Guid>() == id);
        Assert.Equal(People.Office, line!["holder"]!["id"]!.GetValue<string>());
        AssertProblem(await Api.PostAsync(OfficeLu, ApiDriver.Step(id, Check, "complete"), new { outcome = "accept" }), HttpStatusCode.Conflict, "notHolder");
    }

    [Fact]
    public async Task A_transfer_to_someone_who_may_not_hold_the_task_is_403_and_the_holder_stays()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null)).Status);

        AssertProblem(await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "transfer"), new { to = People.Member, reason = "请李委员办理" }),
            HttpStatusCode.Forbidden, "notAllowed");
        AssertProblem(await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "transfer"), new { to = OfficeLu }),
            HttpStatusCode.BadRequest, "invalidInput");
        Assert.Equal(People.Office, CheckStep(await Api.InstanceAsync(id))["task"]!["holder"]!["id"]!.GetValue<string>());

        var moved = await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "transfer"), new { to = OfficeLu, reason = "谢主任出差" });
        Assert.True(moved.Status == HttpStatusCode.OK, moved.ToString());
        var step = CheckStep(await Api.InstanceAsync(id, OfficeLu));
        Assert.Equal(OfficeLu, step["task"]!["holder"]!["id"]!.GetValue<string>());
        Assert.True(step["task"]!["canComplete"]!.GetValue<bool>());
        var timeline = (await Api.GetAsync(OfficeLu, $"/api/instances/{id}/timeline")).Text;
        Assert.Contains("TaskTransferred", timeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_holder_delegates_the_colleague_hands_it_back_and_the_holder_completes_it()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "delegate"), new { to = OfficeLu, note = "请核对审批表" })).Status);

        AssertProblem(await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "complete"), new { outcome = "accept" }), HttpStatusCode.Conflict, "delegated");
        AssertProblem(await Api.PostAsync(OfficeLu, ApiDriver.Step(id, Check, "return"), new { note = "" }), HttpStatusCode.BadRequest, "invalidInput");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(OfficeLu, ApiDriver.Step(id, Check, "return"), new { note = "审批表签章齐全" })).Status);

        var completed = await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "complete"), new { outcome = "accept" });
        Assert.True(completed.Status == HttpStatusCode.OK, completed.ToString());
    }

    [Fact]
    public async Task Only_the_holder_releases_and_a_released_task_can_be_claimed_again()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null)).Status);

        AssertProblem(await Api.PostAsync(OfficeLu, ApiDriver.Step(id, Check, "release"), new { }), HttpStatusCode.Conflict, "notHolder");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "release"), new { reason = "出差" })).Status);

        Assert.Null(CheckStep(await Api.InstanceAsync(id))["task"]!["holder"]);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(OfficeLu, ApiDriver.Step(id, Check, "claim"), null)).Status);
    }

    [Fact]
    public async Task A_committee_member_asked_to_prepare_the_check_still_reads_the_case_after_handing_it_back()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.Member, $"/api/instances/{id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "delegate"), new { to = People.Member, note = "请李委员先看推荐材料" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Member, ApiDriver.Step(id, Check, "return"), new { note = "材料完整" })).Status);

        var read = await Api.GetAsync(People.Member, $"/api/instances/{id}");
        Assert.True(read.Status == HttpStatusCode.OK, read.ToString());
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync(People.Member, $"/api/instances/{id}/timeline")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("p-member-zhang", $"/api/instances/{id}")).Status);
    }

    [Fact]
    public async Task The_holder_asks_the_street_committee_with_a_deadline_and_one_past_the_limit_is_refused_on_the_field()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null)).Status);

        var late = await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "signers"), new { signers = new[] { People.Street }, dueAt = "2027-06-01T00:00:00Z" });
        Assert.True(late.Status == HttpStatusCode.BadRequest, late.ToString());
        Assert.NotNull(late.Body["errors"]!["dueAt"]);
        AssertProblem(await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "signers"), new { signers = new[] { People.Member } }), HttpStatusCode.Forbidden, "notAllowed");

        var asked = await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "signers"), new { signers = new[] { People.Street }, question = "是否同意？", dueAt = "2026-11-30T08:00:00Z" });
        Assert.True(asked.Status == HttpStatusCode.OK, asked.ToString());
        var opinion = (await Api.InstanceAsync(id))["currentSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() != Check)!;
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture), opinion["dueAt"]!.GetValue<DateTimeOffset>());
        AssertProblem(await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "complete"), new { outcome = "accept" }), HttpStatusCode.Conflict, "awaitingOpinions");
    }
}
