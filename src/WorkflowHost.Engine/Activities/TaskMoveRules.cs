using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// Which moves a task of this activity allows (its <c>moves</c> property). Absent, a task may be claimed, released,
/// transferred and delegated, with no claim timeout: the moves an office does anyway by hand, now journaled. A definition
/// turns a move off where the person named must act themselves.
/// </summary>
public sealed record TaskMoveRules
{
    public static readonly TaskMoveRules Default = new();

    /// <summary>认领 / 释放 on a task offered to a role or a unit.</summary>
    public bool Claim { get; init; } = true;

    /// <summary>A claimed or transferred task nobody worked on for this long is offered back to everyone.</summary>
    public DurationSpec? ClaimTimeout { get; init; }

    /// <summary>转交 to another person the task is offered to.</summary>
    public bool Transfer { get; init; } = true;

    /// <summary>委派 to a colleague, who prepares the task and returns it.</summary>
    public bool Delegate { get; init; } = true;

    /// <summary>加签: the holder may ask people for an opinion before deciding; absent, nobody may be added.</summary>
    public SignerRules? AddSigners { get; init; }
}

/// <summary>Where adding signers is allowed: whom the holder may ask (<see cref="From"/>) and how long they have (<see cref="Due"/>).</summary>
public sealed record SignerRules
{
    /// <summary>The people who may be asked, e.g. the street committee.</summary>
    public required ParticipantSelector From { get; init; }

    /// <summary>After this the holder's task stops waiting for a missing opinion.</summary>
    public required DurationSpec Due { get; init; }

    /// <summary>The people who may be asked on this case, as the engine will check them: what the page offers.</summary>
    public IReadOnlyList<string> Candidates(Runtime.InstanceState state, Runtime.IParticipantDirectory directory) => From.ResolvePeople(state, directory);
}
