using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Runtime;

public sealed class DeterminismTests
{
    [Fact]
    public void The_same_history_gives_equal_states_and_effects()
    {
        var first = RunWholeConsultation();
        var second = RunWholeConsultation();

        Assert.Equal(EngineJsonText.Of(first.State), EngineJsonText.Of(second.State));
        Assert.Equal(EngineJsonText.Of(first.History), EngineJsonText.Of(second.History));
        Assert.Equal(InstanceStatus.Completed, first.State.Status);
    }

    [Fact]
    public void Resuming_the_same_state_twice_gives_equal_results()
    {
        var driver = Consultation.AtBallot();
        var vote = new CastVote(driver.BallotBookmarkId(), MemberLi, "consent", "同意");

        var once = driver.TrySend(vote);
        var twice = driver.TrySend(vote);

        Assert.Equal(EngineJsonText.Of(once.State!), EngineJsonText.Of(twice.State!));
        Assert.Equal(EngineJsonText.Of(once.Effects), EngineJsonText.Of(twice.Effects));
    }

    [Fact]
    public void The_runner_never_changes_the_state_it_is_given()
    {
        var driver = Consultation.AtBallot();
        var ballot = driver.BallotBookmarkId();
        var before = EngineJsonText.Of(driver.State);

        Stimulus[] stimuli =
        [
            new CastVote(ballot, MemberLi, "consent"),
            new Recuse(ballot, MemberLi, "回避"),
            new FireTimer($"{ballot}:deadline"),
            new Withdraw(DetaiLiaison),
            new CastVote(ballot, OfficeXie, "consent"),
        ];
        foreach (var stimulus in stimuli)
        {
            driver.TrySend(stimulus);
            Assert.Equal(before, EngineJsonText.Of(driver.State));
        }
    }

    [Fact]
    public void Starting_never_changes_the_input_it_is_given()
    {
        var input = PromotionInput.WithIdNumber();
        input["reason"] = "  两端有空格  ";
        var before = input.ToJsonString();

        var result = new InstanceDriver(TestDefinitions.PromotionConsultation).TryStart(DetaiLiaison, input);

        Assert.True(result.Accepted);
        Assert.Equal(before, input.ToJsonString());
    }

    [Fact]
    public void A_refused_start_returns_no_state_and_no_effects()
    {
        var driver = new InstanceDriver(TestDefinitions.PromotionConsultation);

        foreach (var result in new[] { driver.TryStart(OfficeXie, PromotionInput.Valid()), driver.TryStart(DetaiLiaison, []) })
        {
            Assert.False(result.Accepted);
            Assert.Null(result.State);
            Assert.Empty(result.Effects);
        }
    }

    [Fact]
    public void A_refused_stimulus_returns_no_state_and_no_effects()
    {
        var driver = Consultation.AtBallot();

        var result = driver.TrySend(new CastVote(driver.BallotBookmarkId(), OfficeXie, "consent"));

        Assert.Equal(RefusalCode.NotAllowed, result.Refusal?.Code);
        Assert.Null(result.State);
        Assert.Empty(result.Effects);
    }

    [Fact]
    public void An_instance_cannot_resume_on_another_revision()
    {
        var driver = Consultation.Submitted();
        var source = JsonNode.Parse(TestDefinitions.PromotionConsultation.SourceJson)!;
        source["version"] = source["version"]!.GetValue<int>() + 1;
        var revised = Engine.Definitions.DefinitionReader.Read("promotion-consultation.json", source.ToJsonString());

        Assert.Throws<InvalidOperationException>(() => WorkflowRunner.Resume(revised, driver.State, new Withdraw(DetaiLiaison), driver.Context));
    }

    /// <summary>Submitted with an identity number, returned, amended, accepted, then voted through with reasons.</summary>
    private static InstanceDriver RunWholeConsultation()
    {
        var driver = Consultation.ReturnedForAmendment(PromotionInput.WithIdNumber());
        driver.Clock.Advance(TimeSpan.FromHours(3));
        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.Amend).Id, DetaiLiaison, "resubmit", AmendedInput: new JsonObject { ["reason"] = "补充" }));
        driver.Send(new CompleteTask(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, "accept"));
        var ballot = driver.BallotBookmarkId();
        driver.Send(new Recuse(ballot, MemberLi, "亲属"));
        driver.Send(new CastVote(ballot, "p-member-zhang", "object", "不了解"));
        driver.Clock.Advance(TimeSpan.FromDays(1));
        driver.Votes(ballot, "consent", MembersExcept(DetaiMember, MemberLi, "p-member-zhang").Take(7));
        return driver;
    }
}
