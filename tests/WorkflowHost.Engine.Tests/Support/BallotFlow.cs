using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>A committee ballot followed by an office task, so the instance keeps running after the ballot closes.</summary>
internal static class BallotFlow
{
    public const string Vote = "vote";
    public const string Record = "record";

    /// <summary>The flow's definition: the ballot, then the office's task recording it.</summary>
    /// <param name="secret">Whether the ballot is secret.</param>
    /// <param name="deadline">
    /// The ballot's deadline field, five working days either way: <c>closesAfter</c> closes the ballot at the deadline,
    /// <c>due</c> leaves it open and overdue until the secretary closes it.
    /// </param>
    public static WorkflowDefinition Definition(bool secret, BallotDeadline deadline = BallotDeadline.ClosesAfter) => TestDefinitions.Flow(
        $$"""
        { "id": "vote", "type": "ballot", "voters": { "role": "committee-member" }, "secret": {{(secret ? "true" : "false")}}, "{{FieldName(deadline)}}": { "workingDays": 5 } },
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
    public static InstanceDriver Opened(bool secret = false, BallotDeadline deadline = BallotDeadline.ClosesAfter) =>
        InstanceDriver.Started(Definition(secret, deadline), SeedCommunity.DetaiLiaison);

    private static string FieldName(BallotDeadline deadline) => deadline switch
    {
        BallotDeadline.ClosesAfter => "closesAfter",
        BallotDeadline.Due => "due",
        _ => throw new ArgumentOutOfRangeException(nameof(deadline), deadline, null),
    };
}

/// <summary>Which deadline field <see cref="BallotFlow"/>'s ballot has.</summary>
internal enum BallotDeadline
{
    /// <summary><c>closesAfter</c>: the ballot closes itself when the time is up.</summary>
    ClosesAfter,

    /// <summary><c>due</c>: a voting deadline; past it the ballot is overdue and waits for the secretary.</summary>
    Due,
}
