using System.Text.Json.Nodes;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>Secret or open chosen per instance, margins, and a re-vote (复议) that keeps the first round.</summary>
public sealed class BallotRoundTests
{
    /// <summary>The office chooses the ballot kind; after the vote the secretary may send it round again.</summary>
    private static readonly WorkflowDefinition Definition = TestDefinitions.Flow(
        """
        { "id": "agenda", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "schedule" } ],
          "fields": [ { "name": "secretBallot", "type": "boolean", "label": { "zh-CN": "无记名", "en": "Secret" } } ] },
        { "id": "vote", "type": "ballot", "voters": { "role": "committee-member" }, "secret": false,
          "secretFrom": "activities.agenda.data.secretBallot", "closesAfter": { "workingDays": 5 } },
        { "id": "review", "type": "humanTask", "assignee": { "role": "secretary" }, "outcomes": [ { "name": "revote" }, { "name": "confirm" } ] },
        { "id": "end", "type": "end", "result": "done" }
        """,
        """
        { "from": "agenda", "outcome": "schedule", "to": "vote" },
        { "from": "vote", "outcome": "passed", "to": "review" },
        { "from": "vote", "outcome": "rejected", "to": "review" },
        { "from": "vote", "outcome": "no-quorum", "to": "review" },
        { "from": "review", "outcome": "revote", "to": "vote" },
        { "from": "review", "outcome": "confirm", "to": "end" }
        """);

    private static readonly IReadOnlyList<string> Eligible = MembersExcept(DetaiMember);

    private static InstanceDriver AtBallot(bool? secret)
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);
        var data = secret is { } s ? new JsonObject { ["secretBallot"] = s } : null;
        driver.Send(new CompleteTask(driver.OpenBookmark("agenda").Id, OfficeXie, "schedule", Data: data));
        return driver;
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(null, false)] // not given: the ballot's own "secret"
    public void The_ballot_is_secret_when_the_data_says_so(bool? chosen, bool secret)
    {
        var driver = AtBallot(chosen);

        Assert.Equal(secret, driver.OpenBookmark("vote").Ballot!.Secret);
        Assert.Equal(secret, Assert.Single(driver.EffectsOf<BallotOpened>()).Secret);
    }

    [Fact]
    public void A_secret_ballot_chosen_from_data_keeps_no_choice_with_a_voter()
    {
        var driver = AtBallot(secret: true);
        var ballot = driver.OpenBookmark("vote").Id;

        driver.Send(new CastVote(ballot, Eligible[0], "object"));

        var recorded = Assert.Single(driver.EffectsOf<VoteRecorded>());
        Assert.Null(recorded.Choice);
        Assert.False(VoteLinks.Exist(JsonNode.Parse(EngineJsonText.Of(driver.State)), Eligible[0], "object"));
    }

    [Fact]
    public void The_record_carries_the_margin_and_a_second_round_keeps_the_first()
    {
        var driver = AtBallot(secret: false);
        var first = driver.OpenBookmark("vote").Id;
        driver.Votes(first, "consent", Eligible.Take(7));
        var afterFirst = driver.State.Variables["vote"]!;
        Assert.Equal((1, 7), (afterFirst["round"]!.GetValue<int>(), afterFirst["margin"]!.GetValue<int>()));

        driver.Send(new CompleteTask(driver.OpenBookmark("review").Id, Secretary, "revote"));
        var second = driver.OpenBookmark("vote").Id;
        Assert.NotEqual(first, second);
        driver.Votes(second, "object", Eligible.Take(7));

        var record = driver.State.Variables["vote"]!;
        Assert.Equal(("rejected", 2), (record["outcome"]!.GetValue<string>(), record["round"]!.GetValue<int>()));
        var rounds = record["rounds"]!.AsArray();
        Assert.Equal(["passed", "rejected"], rounds.Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal(7, rounds[0]!["totals"]!["consent"]!.GetValue<int>());
        Assert.Equal(0, rounds[1]!["totals"]!["consent"]!.GetValue<int>());
        Assert.Null(rounds[0]!["rounds"]);
    }

    [Fact]
    public void The_record_lists_recusals_and_who_voted_but_not_how()
    {
        var driver = AtBallot(secret: false);
        var ballot = driver.OpenBookmark("vote").Id;
        driver.Send(new Recuse(ballot, Eligible[0], "提议人的亲属"));
        driver.Votes(ballot, "consent", Eligible.Skip(1).Take(7));

        var record = driver.State.Variables["vote"]!;
        var recusals = record["recusals"]!.AsArray().Select(r => (r!["member"]!.GetValue<string>(), r["automatic"]!.GetValue<bool>())).ToList();
        Assert.Equal([(Eligible[0], false), (DetaiMember, true)], recusals); // in member order
        Assert.Equal(Eligible.Skip(1).Take(7).Order(StringComparer.Ordinal), record["voted"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.False(VoteLinks.Exist(JsonNode.Parse(record.ToJsonString(EngineJson.Options)), Eligible[1], "consent"));
    }

    [Theory]
    [InlineData(7, 6, 0, 1)]
    [InlineData(6, 7, 0, 1)]
    [InlineData(9, 2, 2, 7)]
    [InlineData(2, 1, 8, 6)] // abstentions are the strongest other option
    [InlineData(0, 0, 0, 0)]
    public void The_margin_is_the_distance_between_the_pass_option_and_the_strongest_other(int consent, int objections, int abstentions, int margin) =>
        Assert.Equal(margin, BallotActivity.Margin(new Dictionary<string, int> { ["consent"] = consent, ["object"] = objections, ["abstain"] = abstentions }, "consent"));

    [Fact]
    public void A_secretFrom_path_outside_the_instance_data_is_refused_by_the_reader() =>
        DefinitionAssert.AssertError(
            TestDefinitions.FlowJson(
                """{ "id": "vote", "type": "ballot", "voters": { "role": "committee-member" }, "secretFrom": "agenda.secret" }, { "id": "end", "type": "end", "result": "x" }""",
                """{ "from": "vote", "outcome": "passed", "to": "end" }, { "from": "vote", "outcome": "rejected", "to": "end" }, { "from": "vote", "outcome": "no-quorum", "to": "end" }"""),
            "$.activities[0].secretFrom", "a field path starts with one of: input, activities, initiator");
}
