using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// The secretary's meeting record page, the follow-up list, the item deadline page and the minutes page, over HTTP with
/// a real sign-in; the process is brought to each point through the API (the browser scenarios drive it by pages).
/// </summary>
public sealed class MeetingPagesTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Submitter = "p-liaison-han"; // unit-xinhua-road-primary: p-member-feng is recused

    private static readonly string[] Members =
    [
        "p-secretary-wang", "p-member-li", "p-member-zhang", "p-member-chen", "p-member-liu", "p-member-zhao", "p-member-sun",
        "p-member-zhou", "p-member-wu", "p-member-zheng", "p-member-he", "p-member-lin", "p-member-xu",
    ];

    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task The_secretary_records_a_meeting_on_its_page_after_a_refusal_that_marks_the_attestation_and_stores_nothing()
    {
        var (id, ballot) = await AtMeetingBallotAsync();
        var path = $"/work/{id}/{Uri.EscapeDataString(ballot)}/meeting";
        using var secretary = await PageSession.SignInAsync(fixture.Factory, People.Secretary);
        var (status, page) = await secretary.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-test=\"meeting-form\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"vote.p-member-li\"", page, StringComparison.Ordinal);
        var timeline = (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text;

        var fields = Members.Select(m => new KeyValuePair<string, string>("present", m))
            .Concat(Members.Select((m, i) => new KeyValuePair<string, string>("vote." + m, i < 10 ? "consent" : "object"))).ToList();
        var refused = await secretary.PostAsync(path, "Record", fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("id=\"attestation-error\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"consent\" selected=\"selected\"", refused.Html, StringComparison.Ordinal); // what was chosen is kept
        Assert.Equal(timeline, (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text);

        fields.Add(new("attestation", "12月3日党委会现场举手表决"));
        var saved = await secretary.PostAsync(path, "Record", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var after = await Api.InstanceAsync(id);
        var closed = after["pastSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == ballot)!;
        Assert.Equal("passed", closed["ballot"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_vote_for_someone_absent_refuses_the_whole_record_and_a_member_may_not_record_at_all()
    {
        var (id, ballot) = await AtMeetingBallotAsync();
        var path = $"/work/{id}/{Uri.EscapeDataString(ballot)}/meeting";
        var timeline = (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text;
        using var secretary = await PageSession.SignInAsync(fixture.Factory, People.Secretary);

        var absent = await secretary.PostAsync(path, "Record", new Dictionary<string, string>
        {
            ["present"] = "p-member-li", ["vote.p-member-li"] = "consent", ["vote.p-member-xu"] = "consent", ["attestation"] = "党委会",
        });
        Assert.Equal(HttpStatusCode.BadRequest, absent.Status);
        Assert.Contains("id=\"vote-p-member-xu-error\"", absent.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"vote-p-member-li-error\"", absent.Html, StringComparison.Ordinal);

        using var member = await PageSession.SignInAsync(fixture.Factory, People.Member);
        var (status, page) = await member.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.DoesNotContain("data-test=\"meeting-form\"", page, StringComparison.Ordinal);
        var byMember = await member.PostAsync(path, "Record", new Dictionary<string, string>
        {
            ["present"] = "p-member-li", ["vote.p-member-li"] = "consent", ["attestation"] = "党委会",
        });
        Assert.Equal(HttpStatusCode.Forbidden, byMember.Status);
        var offline = await member.PostAsync(path, "Offline", new Dictionary<string, string>
        {
            ["offline.voter"] = "p-member-li", ["offline.choice"] = "consent", ["offline.attestation"] = "书面表决",
        });
        Assert.Equal(HttpStatusCode.Forbidden, offline.Status);
        Assert.Equal(timeline, (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text);

        using var stranger = await PageSession.SignInAsync(fixture.Factory, "p-liaison-gao");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(path)).Status);
    }

    [Fact]
    public async Task The_secretary_enters_one_offline_vote_and_an_empty_one_is_marked()
    {
        var (id, ballot) = await AtMeetingBallotAsync();
        var path = $"/work/{id}/{Uri.EscapeDataString(ballot)}/meeting";
        using var secretary = await PageSession.SignInAsync(fixture.Factory, People.Secretary);

        var empty = await secretary.PostAsync(path, "Offline", new Dictionary<string, string> { ["offline.voter"] = "p-member-li" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Contains("data-test=\"error\"", empty.Html, StringComparison.Ordinal);

        var saved = await secretary.PostAsync(path, "Offline", new Dictionary<string, string>
        {
            ["offline.voter"] = "p-member-li", ["offline.choice"] = "consent", ["offline.attestation"] = "12月3日书面表决",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var view = await Api.InstanceAsync(id);
        var voters = view["currentSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == ballot)!["ballot"]!["voterList"]!.AsArray();
        var li = voters.Single(v => v!["person"]!["id"]!.GetValue<string>() == "p-member-li")!;
        Assert.Equal(("voted", People.Secretary), (li["status"]!.GetValue<string>(), li["enteredBy"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Follow_ups_show_who_reported_the_item_report_form_works_and_the_minutes_print_as_minutes()
    {
        var (id, items) = await AtFollowUpAsync();
        using var police = await PageSession.SignInAsync(fixture.Factory, "p-liaison-ma");
        var policeTask = $"/work/{id}/{Uri.EscapeDataString(items[0])}";
        var (status, task) = await police.GetAsync(policeTask);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("name=\"data.report\"", task, StringComparison.Ordinal);
        Assert.Contains("上下学时段增派警力", task, StringComparison.Ordinal);

        var refused = await police.PostAsync(policeTask, "Complete", new Dictionary<string, string> { ["outcome"] = "done" });
        Assert.Contains("id=\"f-data-report-error\"", refused.Html, StringComparison.Ordinal);
        var done = await police.PostAsync(policeTask, "Complete", new Dictionary<string, string> { ["outcome"] = "done", ["data.report"] = "每天上下学时段两名警力值守。" });
        Assert.Equal(HttpStatusCode.Redirect, done.Status);

        using var secretary = await PageSession.SignInAsync(fixture.Factory, People.Secretary);
        var (_, instance) = await secretary.GetAsync($"/instances/{id}");
        Assert.Contains("每天上下学时段两名警力值守。", instance, StringComparison.Ordinal);
        Assert.Contains("尚未报告", instance, StringComparison.Ordinal);
        Assert.Contains("data-test=\"open-document\"", instance, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"open-reply\"", instance, StringComparison.Ordinal); // minutes are not a reply

        var view = await Api.InstanceAsync(id);
        var number = view["documents"]![0]!["number"]!.GetValue<string>();
        var (documentStatus, minutes) = await secretary.GetAsync($"/instances/{id}/documents/{Uri.EscapeDataString(number)}");
        Assert.Equal(HttpStatusCode.OK, documentStatus);
        Assert.Contains("data-kind=\"minutes\"", minutes, StringComparison.Ordinal);
        Assert.Contains("会议纪要", minutes, StringComparison.Ordinal);
        Assert.Contains("开放家长等候区", minutes, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await secretary.GetAsync($"/instances/{id}/documents/JY-1999-999")).Status);
    }

    [Fact]
    public async Task The_secretary_extends_an_items_deadline_on_its_page_and_the_api_refuses_others_and_bad_input()
    {
        var (id, items) = await AtFollowUpAsync();
        var path = $"/follow-ups/{id}/{Uri.EscapeDataString(items[1])}/deadline";
        using var secretary = await PageSession.SignInAsync(fixture.Factory, People.Secretary);
        var before = await DueAtAsync(id, items[1]);

        var noReason = await secretary.PostAsync(path, null, new Dictionary<string, string> { ["days"] = "5" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Contains("id=\"f-reason-error\"", noReason.Html, StringComparison.Ordinal);
        var both = await secretary.PostAsync(path, null, new Dictionary<string, string> { ["days"] = "5", ["dueDate"] = "2026-12-30", ["reason"] = "协调" });
        Assert.Contains("id=\"f-dueDate-error\"", both.Html, StringComparison.Ordinal);
        Assert.Equal(before, await DueAtAsync(id, items[1]));

        var moved = await secretary.PostAsync(path, null, new Dictionary<string, string> { ["days"] = "5", ["reason"] = "需与区图书馆协调场地" });
        Assert.Equal(HttpStatusCode.Redirect, moved.Status);
        Assert.True(await DueAtAsync(id, items[1]) > before);

        using var office = await PageSession.SignInAsync(fixture.Factory, People.Office);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync(path)).Status);
        var api = ApiDriver.Step(id, items[1], "deadline");
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Office, api, new { extendByWorkingDays = 2, reason = "协调" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.PostAsync(People.Secretary, api, new { extendByWorkingDays = 2 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.Secretary, ApiDriver.Step(Guid.NewGuid(), items[1], "deadline"), new { extendByWorkingDays = 2, reason = "协调" })).Status);
        var supervision = (await Api.InstanceAsync(id))["currentSteps"]!.AsArray()
            .Single(s => s!["activity"]!.GetValue<string>() == "follow-up" && s["dueAt"] is null)!["stepId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Secretary, ApiDriver.Step(id, supervision, "deadline"), new { extendByWorkingDays = 2, reason = "协调" })).Status);
        var ok = await Api.PostAsync(People.Secretary, api, new { extendByWorkingDays = 2, reason = "再协调" });
        Assert.True(ok.Status == HttpStatusCode.OK, ok.ToString());
    }

    private async Task<DateTimeOffset> DueAtAsync(Guid id, string step) =>
        (await Api.InstanceAsync(id))["currentSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == step)!["dueAt"]!.GetValue<DateTimeOffset>();

    /// <summary>Voted at a meeting and recorded with two actions: the police station's and the library's follow-up tasks are open.</summary>
    private async Task<(Guid Id, string[] Items)> AtFollowUpAsync()
    {
        var (id, ballot) = await AtMeetingBallotAsync();
        var votes = Members.Select(m => new { voter = m, choice = "consent" }).ToArray();
        var voted = await Api.PostAsync(People.Secretary, ApiDriver.Step(id, ballot, "meeting-votes"), new { present = Members, votes, attestation = "党委会现场表决" });
        Assert.True(voted.Status == HttpStatusCode.OK, voted.ToString());
        var record = (await Api.InstanceAsync(id))["currentSteps"]!.AsArray().Single(s => s!["activity"]!.GetValue<string>() == "record-resolution")!["stepId"]!.GetValue<string>();
        var recorded = await Api.PostAsync(People.Secretary, ApiDriver.Step(id, record, "complete"), new
        {
            outcome = "record",
            data = new
            {
                resolution = "同意实施上下学时段交通疏导。",
                actions = new[]
                {
                    new { unit = "unit-xinhua-police-station", description = "上下学时段增派警力", dueDate = "2026-12-11" },
                    new { unit = "unit-district-library", description = "开放家长等候区", dueDate = "2026-12-11" },
                },
            },
        });
        Assert.True(recorded.Status == HttpStatusCode.OK, recorded.ToString());
        var items = (await Api.InstanceAsync(id))["currentSteps"]!.AsArray()
            .Where(s => s!["activity"]!.GetValue<string>() == "follow-up" && s["dueAt"] is not null)
            .Select(s => s!["stepId"]!.GetValue<string>()).ToArray();
        Assert.Equal(2, items.Length);
        return (id, items);
    }

    private async Task<(Guid Id, string Ballot)> AtMeetingBallotAsync()
    {
        var id = await Api.SubmitAsync(Submitter, new JsonObject
        {
            ["title"] = "新华路小学周边上下学时段交通秩序", ["category"] = "community-management", ["description"] = "上下学时段校门口车辆拥堵。",
        }, process: "joint-affairs-discussion");
        var scheduled = await Api.PostAsync(People.Office, ApiDriver.Step(id, "place-on-agenda#1", "complete"), new
        {
            outcome = "schedule", data = new { format = "meeting", meetingDate = "2026-12-03", place = "社区党群服务中心", secretBallot = false },
        });
        Assert.True(scheduled.Status == HttpStatusCode.OK, scheduled.ToString());
        var ballot = (await Api.InstanceAsync(id))["currentSteps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "ballot")!["stepId"]!.GetValue<string>();
        return (id, ballot);
    }
}
