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
