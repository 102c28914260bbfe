namespace WorkflowHost.Persistence.Entities;

/// <summary>A task or a ballot as an inbox sees it. Ballot voters are listed in <see cref="BallotVoter"/>.</summary>
public sealed class WorkItem
{
    public required Guid InstanceId { get; init; }

    public required string BookmarkId { get; init; }

    public required string CommunityId { get; init; }

    public required string ActivityId { get; init; }

    public required string Kind { get; init; }

    /// <summary>For tasks: <c>role</c>, <c>unit</c> or <c>person</c>, with the value in <see cref="AssigneeValue"/>.</summary>
    public string? AssigneeKind { get; init; }

    public string? AssigneeValue { get; init; }

    /// <summary>For a task offered to a role or unit: the person who claimed it or was handed it; null while it is on offer.</summary>
    public string? HolderId { get; set; }

    /// <summary>委派: the colleague preparing the task for its holder, who sees it in their inbox until they return it.</summary>
    public string? DelegateId { get; set; }

    public required string Status { get; set; }

    public DateTimeOffset OpenedAt { get; init; }

    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? Outcome { get; set; }

    public string? ClosedBy { get; set; }

    public string? CloseReason { get; set; }
}

/// <summary>
/// One eligible (or recused) voter of one ballot. The primary key makes a second vote by the same member impossible
/// at the database level too. <see cref="Choice"/> and <see cref="Reason"/> stay null on secret ballots.
/// </summary>
public sealed class BallotVoter
{
    public required Guid InstanceId { get; init; }

    public required string BookmarkId { get; init; }

    public required string PersonId { get; init; }

    public required string CommunityId { get; init; }

    public required string Status { get; set; }

    public DateTimeOffset? RespondedAt { get; set; }

    public string? Choice { get; set; }

    public string? Reason { get; set; }

    public string? EnteredBy { get; set; }

    public string? RecusalReason { get; set; }

    public bool AutomaticRecusal { get; set; }
}

/// <summary>What a <see cref="WorkItem"/> is: a task (one assignee) or a ballot (its voters in <see cref="BallotVoter"/>).</summary>
public static class WorkItemKind
{
    public const string Task = "task";
    public const string Ballot = "ballot";
}

/// <summary>The stored states of a <see cref="WorkItem"/>.</summary>
public static class WorkItemStatus
{
    public const string Open = "open";
    public const string Closed = "closed";
}

/// <summary>Who a task is assigned to: the engine's <see cref="Engine.Runtime.AssignmentKind"/> as stored (<see cref="StoredName"/>).</summary>
public static class AssigneeKind
{
    public const string Person = "person";
    public const string Role = "role";
    public const string Unit = "unit";
}

/// <summary>The stored states of a <see cref="BallotVoter"/>.</summary>
public static class VoterStatus
{
    public const string Pending = "pending";
    public const string Voted = "voted";
    public const string Recused = "recused";
}
