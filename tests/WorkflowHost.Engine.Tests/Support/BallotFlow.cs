using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>A committee ballot followed by an office task, so the instance keeps running after the ballot closes.</summary>
internal static class BallotFlow
{
    public const string Vote = "vote";
    public const string Record = "record";

    public static WorkflowDefinition Definition(bool secret) => TestDefinitions.Flow(
        $$"""
        { "id": "vote", "type": "ballot", "voters": { "role": "committee-member" }, "secret": {{(secret ? "true" : "false")}}, "closesAfter": { "workingDays": 5 } },
        { "id": "record", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "done" } ] },
        { "id": "finish", "type": "end", "result": "recorded" }
        """,
        """
        { "from": "vote", "outcome": "passed", "to": "record" },
        { "from": "vote", "outcome": "rejected", "to": "record" },
        { "from": "vote", "outcome": "no-quorum", "to": "record" },
        { "from": "record", "outcome": "done", "to": "finish" }
        """);

    /// <summary>Started by Detai's liaison, so Zheng is recused and 13 members are eligible.</summary>
    public static InstanceDriver Opened(bool secret = false) =>
        InstanceDriver.Started(Definition(secret), SeedCommunity.DetaiLiaison);
}
