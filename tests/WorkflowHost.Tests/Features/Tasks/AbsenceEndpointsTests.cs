using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Tasks;

/// <summary>
/// 请假 over HTTP, signed in for real: a person sets their own leave and deputy; a task for them by name goes to the
/// deputy; a ballot stays theirs, and a written opinion is shown and not counted. The fixture's clock is Friday 27 November 2026.
/// </summary>
public sealed class AbsenceEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    private static void AssertField(Reply reply, string field)
    {
        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.NotNull(reply.Body["errors"]![field]);
    }

    [Fact]
    public async Task Bad_leave_is_refused_with_the_field_and_changes_nothing()
    {
        const string Person = "p-office-lu";
        AssertField(await Api.SendAsync(Person, HttpMethod.Put, "/api/account/absence", new { firstDay = "2026-12-04", lastDay = "2026-12-01" }), "lastDay");
        AssertField(await Api.SendAsync(Person, HttpMethod.Put, "/api/account/absence", new { firstDay = "2026-11-01", lastDay = "2026-11-20" }), "lastDay");
        AssertField(await Api.SendAsync(Person, HttpMethod.Put, "/api/account/absence", new { firstDay = "2026-11-27", lastDay = "2026-12-04", deputy = Person }), "deputy");
        AssertField(await Api.SendAsync(Person, HttpMethod.Put, "/api/account/absence", new { firstDay = "2026-11-27", lastDay = "2026-12-04", deputy = "p-liaison-riverside-nobody" }), "deputy");

        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(Person, "/api/account/absence")).Status);
    }

    [Fact]
    public async Task A_returned_file_goes_to_the_deputy_of_a_liaison_on_leave_until_the_leave_is_cleared()
    {
        var set = await Api.SendAsync(People.OtherLiaison, HttpMethod.Put, "/api/account/absence",
            new { firstDay = "2026-11-27", lastDay = "2026-12-04", deputy = People.Liaison });
        Assert.True(set.Status == HttpStatusCode.OK, set.ToString());
        Assert.Equal(People.Liaison, (await Api.GetAsync(People.OtherLiaison, "/api/account/absence")).Body["deputy"]!.GetValue<string>());

        var id = await Api.SubmitAsync(People.OtherLiaison);
        var returned = await Api.PostAsync(People.Office, ApiDriver.Step(id, "office-check#1", "complete"), new { outcome = "return", comment = "请补充" });
        Assert.True(returned.Status == HttpStatusCode.OK, returned.ToString());

        var amend = (await Api.InstanceAsync(id))["currentSteps"]!.AsArray().Single()!;
        Assert.Equal(People.Liaison, amend["task"]!["assignee"]!.GetValue<string>());
        Assert.Contains("TaskRoutedToDeputy", (await Api.GetAsync(People.Office, $"/api/instances/{id}/timeline")).Text, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(People.OtherLiaison, HttpMethod.Delete, "/api/account/absence")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.OtherLiaison, "/api/account/absence")).Status);
    }

    [Fact]
    public async Task A_member_on_leave_stays_a_voter_the_deputy_cannot_vote_and_a_written_opinion_is_not_counted()
    {
        var set = await Api.SendAsync(People.Member, HttpMethod.Put, "/api/account/absence",
            new { firstDay = "2026-11-27", lastDay = "2026-12-04", deputy = People.Office });
        Assert.True(set.Status == HttpStatusCode.OK, set.ToString());
        var id = await Api.AtBallotAsync();
        var ballotPath = ApiDriver.Step(id, "committee-ballot#2", "vote");

        var byDeputy = await Api.PostAsync(People.Office, ballotPath, new { choice = "consent" });
        Assert.Equal(HttpStatusCode.Forbidden, byDeputy.Status);
        Assert.Contains("never delegated", byDeputy.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var opinion = await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "written-opinion"), new { text = "出差在外，书面意见：同意。" });
        Assert.True(opinion.Status == HttpStatusCode.OK, opinion.ToString());
        var again = await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "written-opinion"), new { text = "再次" });
        Assert.Equal("opinionGiven", again.Body["code"]!.GetValue<string>());

        var ballot = (await Api.InstanceAsync(id))["currentSteps"]![0]!["ballot"]!;
        var away = Assert.Single(ballot["votersAway"]!.AsArray())!; // what the ballot page shows the secretary, in the API too
        Assert.Equal((People.Member, "2026-12-04"), (away["person"]!["id"]!.GetValue<string>(), away["until"]!.GetValue<string>()));
        Assert.Null((await Api.InstanceAsync(id, People.Liaison))["currentSteps"]![0]!["ballot"]!["votersAway"]);
        Assert.Equal(0, ballot["voted"]!.GetValue<int>());
        Assert.Equal(13, ballot["eligible"]!.GetValue<int>()); // 14 members, Liu of the submitting unit recused; Li on leave still counts
        var written = Assert.Single(ballot["writtenOpinions"]!.AsArray())!;
        Assert.Equal(People.Member, written["by"]!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Member, ballotPath, new { choice = "consent" })).Status);
        await Api.SendAsync(People.Member, HttpMethod.Delete, "/api/account/absence");
    }

    [Fact]
    public async Task A_leave_starting_while_a_file_is_returned_moves_it_to_the_deputy_and_clearing_the_leave_does_not_move_it_back()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, "office-check#1", "complete"), new { outcome = "return", comment = "请补充" })).Status);
        Assert.Equal(People.OtherLiaison, (await Api.InstanceAsync(id))["currentSteps"]!.AsArray().Single()!["task"]!["assignee"]!.GetValue<string>());

        var set = await Api.SendAsync(People.OtherLiaison, HttpMethod.Put, "/api/account/absence", new { firstDay = "2026-11-27", lastDay = "2026-12-04", deputy = People.Liaison });
        Assert.True(set.Status == HttpStatusCode.OK, set.ToString());

        var amend = (await Api.InstanceAsync(id))["currentSteps"]!.AsArray().Single()!;
        Assert.Equal(People.Liaison, amend["task"]!["assignee"]!.GetValue<string>());
        Assert.Contains("TaskRoutedToDeputy", (await Api.GetAsync(People.Office, $"/api/instances/{id}/timeline")).Text, StringComparison.Ordinal);
        var inbox = (await Api.GetAsync(People.Liaison, "/api/inbox")).Body.AsArray();
        Assert.Contains(inbox, i => i!["instanceId"]!.GetValue<Guid>() == id);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(People.OtherLiaison, HttpMethod.Delete, "/api/account/absence")).Status);
        Assert.Equal(People.Liaison, (await Api.InstanceAsync(id))["currentSteps"]!.AsArray().Single()!["task"]!["assignee"]!.GetValue<string>());
    }
}
