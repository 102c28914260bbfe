using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>Replays change nothing; races end in one consistent state and the loser is told why; GET never writes.</summary>
public sealed class IdempotencyAndConcurrencyTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    private async Task<(int Instances, int Events, long Versions)> CountsAsync()
    {
        var contexts = fixture.Factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        return (await db.Instances.CountAsync(), await db.JournalEvents.CountAsync(), await db.Instances.SumAsync(i => (long)i.Version));
    }

    [Fact]
    public async Task Starting_twice_with_one_key_starts_one_instance_and_answers_the_same()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() };
        var first = await Api.PostAsync(People.Liaison, "/api/instances", body, key);
        var before = await CountsAsync();
        var second = await Api.PostAsync(People.Liaison, "/api/instances", body, key);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Message.Headers.Location, second.Message.Headers.Location);
        Assert.True(second.Message.Headers.Contains("Idempotency-Replayed"));
        Assert.False(first.Message.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task One_key_in_the_hands_of_two_people_is_two_keys()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() };
        var gao = await Api.PostAsync(People.Liaison, "/api/instances", body, key);
        var ma = await Api.PostAsync(People.OtherLiaison, "/api/instances", body, key);
        Assert.NotEqual(gao.Body["instanceId"]!.GetValue<Guid>(), ma.Body["instanceId"]!.GetValue<Guid>());
        Assert.False(ma.Message.Headers.Contains("Idempotency-Replayed"));
    }

    [Fact]
    public async Task A_replayed_vote_is_counted_once_and_a_new_vote_without_the_key_is_refused()
    {
        var id = await Api.AtBallotAsync();
        var path = ApiDriver.Step(id, "committee-ballot#2", "vote");
        var first = await Api.PostAsync(People.Member, path, new { choice = "consent" }, "vote-1");
        var before = await CountsAsync();
        var replay = await Api.PostAsync(People.Member, path, new { choice = "consent" }, "vote-1");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Text, replay.Text);
        Assert.Equal(before, await CountsAsync());

        var ballot = (await Api.InstanceAsync(id))["currentSteps"]![0]!["ballot"]!;
        Assert.Equal(1, ballot["voted"]!.GetValue<int>());
        Assert.Equal(1, ballot["totals"]!["consent"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Conflict, (await Api.PostAsync(People.Member, path, new { choice = "consent" })).Status);
    }

    [Fact]
    public async Task A_refused_request_is_not_remembered_so_the_corrected_one_may_reuse_its_key()
    {
        var id = await Api.AtBallotAsync();
        var refused = await Api.PostAsync(People.Liaison, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "consent" }, "k");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        var withdrawn = await Api.PostAsync(People.Liaison, $"/api/instances/{id}/withdraw", new { reason = "撤回" }, "k");
        Assert.Equal(HttpStatusCode.OK, withdrawn.Status);
        Assert.Equal("withdrawn", withdrawn.Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_member_voting_twice_at_once_is_counted_once_and_the_other_gets_409()
    {
        var id = await Api.AtBallotAsync();
        var path = ApiDriver.Step(id, "committee-ballot#2", "vote");
        await Api.TokenAsync(People.Member);
        var replies = await Task.WhenAll(
            Api.PostAsync(People.Member, path, new { choice = "consent" }),
            Api.PostAsync(People.Member, path, new { choice = "object" }));

        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        var loser = Assert.Single(replies, r => r.Status == HttpStatusCode.Conflict);
        Assert.Equal("alreadyVoted", loser.Body["code"]!.GetValue<string>());
        var ballot = (await Api.InstanceAsync(id))["currentSteps"]![0]!["ballot"]!;
        Assert.Equal(1, ballot["voted"]!.GetValue<int>());
        Assert.Equal(1, ballot["totals"]!["consent"]!.GetValue<int>() + ballot["totals"]!["object"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_deciding_vote_and_a_withdrawal_at_once_end_in_one_state_and_the_loser_gets_409()
    {
        // 13 eligible (Liu is recused): the 7th consent decides the ballot and the instance ends with a reply.
        string[] first6 = ["p-member-li", "p-member-zhang", "p-member-chen", "p-member-zhao", "p-member-sun", "p-member-zhou"];
        for (var round = 0; round < 3; round++)
        {
            var id = await Api.AtBallotAsync();
            var path = ApiDriver.Step(id, "committee-ballot#2", "vote");
            foreach (var member in first6)
            {
                Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(member, path, new { choice = "consent" })).Status);
            }

            await Api.TokenAsync("p-member-wu");
            var vote = Api.PostAsync("p-member-wu", path, new { choice = "consent" });
            var withdraw = Api.PostAsync(People.Liaison, $"/api/instances/{id}/withdraw", new { reason = "撤回" });
            var replies = await Task.WhenAll(vote, withdraw);

            var winner = Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
            var loser = Assert.Single(replies, r => r.Status == HttpStatusCode.Conflict);
            Assert.Equal("instanceEnded", loser.Body["code"]!.GetValue<string>());
            var instance = await Api.InstanceAsync(id);
            var documents = instance["documents"]!.AsArray();
            if (winner == replies[0])
            {
                Assert.Equal("completed", instance["status"]!.GetValue<string>());
                Assert.Equal("consent", instance["result"]!.GetValue<string>());
                Assert.Single(documents);
            }
            else
            {
                Assert.Equal("withdrawn", instance["status"]!.GetValue<string>());
                Assert.Empty(documents);
                Assert.Equal(6, instance["pastSteps"]![1]!["ballot"]!["voted"]!.GetValue<int>());
            }

            var verification = await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline/verification");
            Assert.True(verification.Body["intact"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task No_GET_changes_anything()
    {
        var id = await Api.AtBallotAsync();
        await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "consent" });
        var before = await CountsAsync();
        string[] paths =
        [
            "/api/processes", "/api/processes/promotion-consultation", "/api/processes/promotion-consultation/diagram.svg",
            "/api/instances", $"/api/instances/{id}", $"/api/instances/{id}/timeline", $"/api/instances/{id}/timeline/verification",
            "/api/inbox", "/api/inbox/done", "/api/account/me",
            ApiDriver.Step(id, "committee-ballot#2", "vote"), $"/api/instances/{id}/withdraw",
        ];
        foreach (var person in new[] { People.Liaison, People.Member, People.Secretary, People.Administrator })
        {
            foreach (var path in paths)
            {
                var reply = await Api.GetAsync(person, path);
                Assert.True((int)reply.Status is 200 or 404 or 405, $"{path}: {reply}");
            }
        }

        Assert.Equal(before, await CountsAsync());
    }
}
