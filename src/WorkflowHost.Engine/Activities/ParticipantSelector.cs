using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>Who a task is for or a notice goes to. Exactly one way of choosing is set.</summary>
public sealed record ParticipantSelector
{
    /// <summary>The value of <see cref="Unit"/> that means "the unit that submitted the instance".</summary>
    public const string SubmittingUnit = "submitting";

    /// <summary>Everyone holding this role in the community.</summary>
    public string? Role { get; init; }

    /// <summary>The liaisons of a unit: a unit id, or <c>submitting</c>.</summary>
    public string? Unit { get; init; }

    /// <summary>The person who started the instance.</summary>
    public bool Initiator { get; init; }

    /// <summary>One named person.</summary>
    public string? Member { get; init; }

    public int WaysSet => (Role is null ? 0 : 1) + (Unit is null ? 0 : 1) + (Initiator ? 1 : 0) + (Member is null ? 0 : 1);

    internal Assignment ToAssignment(InstanceState state) =>
        Role is not null ? new Assignment(AssignmentKind.Role, Role)
        : Unit is not null ? new Assignment(AssignmentKind.Unit, ResolveUnit(state))
        : Member is not null ? new Assignment(AssignmentKind.Person, Member)
        : new Assignment(AssignmentKind.Person, state.Initiator.PersonId);

    internal IReadOnlyList<string> ResolvePeople(InstanceState state, IParticipantDirectory directory) =>
        Role is not null ? [.. directory.InRole(Role).Select(p => p.Id)]
        : Unit is not null ? [.. directory.LiaisonsOf(ResolveUnit(state)).Select(p => p.Id)]
        : Member is not null ? [Member]
        : [state.Initiator.PersonId];

    private string ResolveUnit(InstanceState state) =>
        Unit == SubmittingUnit ? state.Initiator.UnitId ?? "" : Unit!;
}

internal static class AssignmentRules
{
    public static bool Allows(this Assignment assignment, DirectoryPerson? actor) => actor is not null && assignment.Kind switch
    {
        AssignmentKind.Role => actor.HasRole(assignment.Value),
        AssignmentKind.Unit => actor.UnitId == assignment.Value && actor.HasRole(RoleNames.UnitLiaison),
        _ => actor.Id == assignment.Value,
    };
}
