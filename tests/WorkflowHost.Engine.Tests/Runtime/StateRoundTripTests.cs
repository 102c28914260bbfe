using System.Text.Json;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>The state is stored as JSON between stimuli; whatever the runner writes it must read back.</summary>
public sealed class StateRoundTripTests
{
    [Fact]
    public void An_instance_started_by_someone_without_a_unit_can_be_resumed()
    {
        var definition = TestDefinitions.Flow(
            """
            { "id": "review", "type": "humanTask", "assignee": { "initiator": true }, "outcomes": [ { "name": "done" } ] },
            { "id": "finish", "type": "end", "result": "done" }
            """,
            """{ "from": "review", "outcome": "done", "to": "finish" }""");
        var driver = InstanceDriver.Started(definition, Secretary);
        Assert.Null(driver.State.Initiator.UnitId);

        driver.Send(new CompleteTask(driver.OpenBookmark("review").Id, Secretary, "done"));

        Assert.Equal(InstanceStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void An_open_vote_without_reason_survives_the_next_stimulus()
    {
        var driver = BallotFlow.Opened();
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        driver.Send(new CastVote(ballot, MemberLi, "consent"));

        driver.Send(new CastVote(ballot, "p-member-zhang", "consent"));

        Assert.Equal(2, driver.OpenBookmark(BallotFlow.Vote).Ballot!.OpenVotes.Count);
    }

    [Fact]
    public void A_stored_state_reads_back_to_the_same_json()
    {
        var driver = BallotFlow.Opened();
        driver.Send(new CastVote(driver.OpenBookmark(BallotFlow.Vote).Id, MemberLi, "object"));
        var stored = EngineJsonText.Of(driver.State);

        var read = JsonSerializer.Deserialize<InstanceState>(stored, EngineJson.Options)!;

        Assert.Equal(stored, EngineJsonText.Of(read));
    }
}
