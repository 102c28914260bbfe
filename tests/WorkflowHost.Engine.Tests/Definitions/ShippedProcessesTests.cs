using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>What the joint affairs and activity co-organisation definitions promise, read from the files themselves.</summary>
public sealed class ShippedProcessesTests
{
    private static WorkflowDefinition Load(string id) =>
        DefinitionReader.Read($"{id}.json", File.ReadAllBytes(Path.Combine(RepositoryPaths.Workflows, $"{id}.json")));

    /// <summary>Every activity reachable from <paramref name="from"/>'s <paramref name="outcome"/> without passing <paramref name="from"/> again.</summary>
    private static HashSet<string> Reachable(WorkflowDefinition definition, string from, string outcome)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(definition.TransitionsFrom(from, outcome).Select(t => t.To));
        while (queue.TryDequeue(out var id))
        {
            if (id != from && reached.Add(id))
            {
                foreach (var next in definition.Transitions.Where(t => t.From == id))
                {
                    queue.Enqueue(next.To);
                }
            }
        }

        return reached;
    }

    [Theory]
    [InlineData(BallotOutcomes.Rejected)]
    [InlineData(BallotOutcomes.NoQuorum)]
    public void An_activity_is_approved_only_by_the_office_or_a_passed_vote(string outcome)
    {
        var definition = Load("activity-co-organisation");

        var reached = Reachable(definition, "committee-ballot", outcome);

        Assert.DoesNotContain("approved", reached);
        Assert.Contains("release-facilities", reached);
    }

    [Fact]
    public void The_committee_decides_activities_over_twenty_thousand_yuan()
    {
        var route = Assert.IsType<DecisionActivity>(Load("activity-co-organisation").GetActivity("approval-route"));

        var rule = Assert.Single(route.Rules);
        Assert.Equal(("committee", "input.budget", 20000m), (rule.Outcome, rule.When.Field, rule.When.GreaterThan));
    }

    [Fact]
    public void The_office_chooses_secrecy_and_a_margin_of_two_votes_or_fewer_reaches_the_secretary()
    {
        var definition = Load("joint-affairs-discussion");
        var ballot = Assert.IsType<BallotActivity>(definition.GetActivity("committee-ballot"));
        var check = Assert.IsType<DecisionActivity>(definition.GetActivity("result-check"));

        Assert.Equal("activities.place-on-agenda.data.secretBallot", ballot.SecretFrom);
        Assert.Contains(check.Rules, r => r.Outcome == "review" && r.When.Field == "activities.committee-ballot.margin" && r.When.AtMost == 2);
        Assert.Equal("committee-ballot", Assert.Single(definition.TransitionsFrom("deferral", Outcomes.Done)).To);
    }

    [Fact]
    public void Only_a_passed_vote_adopts_an_item()
    {
        var definition = Load("joint-affairs-discussion");
        var adopted = Assert.IsType<DecisionActivity>(definition.GetActivity("adopted-check"));

        Assert.All(adopted.Rules, r => Assert.Contains("passed", r.When.All is { } all ? all.Select(c => c.EqualTo?.GetString()) : [r.When.EqualTo?.GetString()]));
        Assert.Equal("not-adopted", adopted.Otherwise);
    }
}
