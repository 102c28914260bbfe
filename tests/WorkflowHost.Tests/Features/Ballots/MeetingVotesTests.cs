using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Ballots;

/// <summary>A joint affairs item placed on a committee meeting's agenda over HTTP, and the meeting's votes entered at once.</summary>
public sealed class MeetingVotesTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Submitter = "p-liaison-han"; // unit-xinhua-road-primary: p-member-feng is recused

    private static readonly string[] Members =
    [
        "p-secretary-wang", "p-member-li", "p-member-zhang", "p-member-chen", "p-member-liu", "p-member-zhao", "p-member-sun",
        "p-member-zhou", "p-member-wu", "p-member-zheng", "p-member-he", "p-member-lin", "p-member-xu",
    ];

    private static readonly string[] OnlyLi = ["p-member-li"];

    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task The_secretary_records_a_whole_meeting_and_the_ballot_is_decided_by_it()
    {
        var (id, ballot) = await AtMeetingBallotAsync();
        var view = await Api.InstanceAsync(id);
        var step = view["currentSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == ballot)!;
        Assert.EndsWith("/meeting-votes", step["links"]!["meetingVotes"]!.GetValue<string>(), StringComparison.Ordinal);

        var votes = Members.Select((m, i) => new { voter = m, choice = i < 10 ? "consent" : "object", reason = (string?)null }).ToArray();
        var recorded = await Api.PostAsync(People.Secretary, ApiDriver.Step(id, ballot, "meeting-votes"),
            new { present = Members, votes, attestation = "12月3日党委会现场举手表决" });

        Assert.True(recorded.Status == HttpStatusCode.OK, recorded.ToString());
        var after = await Api.InstanceAsync(id);
        var closed = after["pastSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == ballot)!;
        Assert.Equal("passed", closed["ballot"]!["outcome"]!.GetValue<string>());
        Assert.Contains(after["currentSteps"]!.AsArray(), s => s!["activity"]!.GetValue<string>() == "record-resolution");
    }

    [Fact]
    public async Task A_meeting_record_from_a_member_or_with_an_absent_voter_or_an_empty_list_is_refused_and_changes_nothing()
    {
        var (id, ballot) = await AtMeetingBallotAsync();
        var before = (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text;
        var path = ApiDriver.Step(id, ballot, "meeting-votes");

        var byMember = await Api.PostAsync(People.Member, path, new { present = Members, votes = new[] { new { voter = "p-member-li", choice = "consent" } }, attestation = "会议" });
        var absentVoter = await Api.PostAsync(People.Secretary, path, new
        {
            present = OnlyLi,
            votes = new[] { new { voter = "p-member-li", choice = "consent" }, new { voter = "p-member-xu", choice = "consent" } },
            attestation = "会议",
        });
        var empty = await Api.PostAsync(People.Secretary, path, new { present = Array.Empty<string>(), votes = Array.Empty<object>(), attestation = "" });

        Assert.Equal(HttpStatusCode.Forbidden, byMember.Status);
        Assert.True(absentVoter.Status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, absentVoter.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.NotNull(empty.Body["errors"]!["present"]);
        Assert.NotNull(empty.Body["errors"]!["attestation"]);
        Assert.Equal(before, (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text);
    }

    /// <summary>Submitted and placed on a meeting's agenda with the task form's data: the meeting ballot is open.</summary>
    private async Task<(Guid Id, string Ballot)> AtMeetingBallotAsync()
    {
        var id = await Api.SubmitAsync(Submitter, new JsonObject
        {
            ["title"] = "新华路小学周边上下学时段交通秩序",
            ["category"] = "community-management",
            ["description"] = "上下学时段校门口车辆拥堵。",
        }, process: "joint-affairs-discussion");
        var scheduled = await Api.PostAsync(People.Office, ApiDriver.Step(id, "place-on-agenda#1", "complete"), new
        {
            outcome = "schedule",
            data = new { format = "meeting", meetingDate = "2026-12-03", place = "社区党群服务中心", secretBallot = false },
        });
        Assert.True(scheduled.Status == HttpStatusCode.OK, scheduled.ToString());
        var view = await Api.InstanceAsync(id);
        var ballot = view["currentSteps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "ballot")!["stepId"]!.GetValue<string>();
        return (id, ballot);
    }
}
