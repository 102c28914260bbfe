using System.Text.Json;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>
/// The store hands the runner a state it parsed for one step (decision 160): the run works on it instead of a copy, and
/// must decide exactly what a run on a copy decides.
/// </summary>
public sealed class HandedOverStateTests
{
    [Fact]
    public void A_handed_over_state_is_the_one_the_run_changes_and_returns()
    {
        var driver = Consultation.AtBallot();
        var parsed = AsStored(driver.State);

        var result = WorkflowRunner.ResumeHandedOver(driver.Definition, parsed, new CastVote(driver.BallotBookmarkId(), MemberLi, "consent"), driver.Context);

        Assert.True(result.Accepted);
        Assert.Same(parsed, result.State);
        Assert.Equal(["consent"], result.State!.FindBookmark(driver.BallotBookmarkId())!.Ballot!.OpenVotes.Values.Select(v => v.Choice));
    }

    [Fact]
    public void A_handed_over_state_gives_the_same_state_and_effects_as_a_copied_one()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        Stimulus[] stimuli =
        [
            new CastVote(ballot, MemberLi, "consent", "同意"),
            new Recuse(ballot, MemberLi, "回避"),
            new FireTimer($"{ballot}:deadline"),
            new Withdraw(DetaiLiaison),
            new CastVote(ballot, OfficeXie, "consent"),
            new WithdrawCopy(DetaiLiaison, MemberLi, "不再需要"),
        ];

        foreach (var stimulus in stimuli)
        {
            var copied = WorkflowRunner.Resume(driver.Definition, AsStored(driver.State), stimulus, driver.Context);
            var handedOver = WorkflowRunner.ResumeHandedOver(driver.Definition, AsStored(driver.State), stimulus, driver.Context);

            Assert.Equal(copied.Accepted, handedOver.Accepted);
            Assert.Equal(copied.Refusal, handedOver.Refusal);
            Assert.Equal(copied.State is null ? null : EngineJsonText.Of(copied.State), handedOver.State is null ? null : EngineJsonText.Of(handedOver.State));
            Assert.Equal(EngineJsonText.Of(copied.Effects), EngineJsonText.Of(handedOver.Effects));
        }
    }

    /// <summary>The state as the store gives it: parsed from its text.</summary>
    private static InstanceState AsStored(InstanceState state) =>
        JsonSerializer.Deserialize<InstanceState>(EngineJsonText.Of(state), EngineJson.Options)!;
}
