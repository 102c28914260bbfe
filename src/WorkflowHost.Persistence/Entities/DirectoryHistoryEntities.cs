namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// One period in which a person held a role (from, to). The current roles stay in <see cref="PersonRole"/>, which every
/// reader already uses; this table keeps the dates, so ending a role loses nothing.
/// </summary>
public sealed class RolePeriod
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required string PersonId { get; init; }

    public required string Role { get; init; }

    public required DateOnly From { get; init; }

    public DateOnly? To { get; set; }
}

/// <summary>A committee term (届): its number, when it began and, once replaced, when it ended.</summary>
public sealed class CommitteeTerm
{
    public required string Id { get; init; }

    public required string CommunityId { get; init; }

    public required int Number { get; init; }

    public required DateOnly StartsOn { get; init; }

    public DateOnly? EndsOn { get; set; }

    public List<CommitteeTermMember> Members { get; init; } = [];
}

/// <summary>A member of a term: full-time (专职) or part-time (兼职, from a resident unit), with the dates they served.</summary>
public sealed class CommitteeTermMember
{
    public required string TermId { get; init; }

    public required string PersonId { get; init; }

    public required string Kind { get; init; }

    public string? UnitId { get; init; }

    public required DateOnly JoinedOn { get; init; }

    public DateOnly? LeftOn { get; set; }
}

/// <summary>The kinds of term membership, as stored.</summary>
public static class TermMemberKind
{
    public const string FullTime = "full-time";
    public const string PartTime = "part-time";
}

/// <summary>
/// One directory change, journaled in the change's own transaction: who, what, when, and the record before and after
/// (JSON; null before an addition). Append-only: nothing updates or deletes these rows.
/// </summary>
public sealed class DirectoryChange
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string ActorId { get; init; }

    /// <summary>What was done (<see cref="DirectoryChangeKind"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>The unit, person or term changed.</summary>
    public required string SubjectId { get; init; }

    public string? BeforeJson { get; init; }

    public string? AfterJson { get; init; }
}

/// <summary>The stored words of <see cref="DirectoryChange.Kind"/>.</summary>
public static class DirectoryChangeKind
{
    public const string UnitAdded = "unit-added";
    public const string UnitEdited = "unit-edited";
    public const string UnitEnded = "unit-ended";
    public const string PersonAdded = "person-added";
    public const string PersonEdited = "person-edited";
    public const string PersonDeactivated = "person-deactivated";
    public const string RoleGranted = "role-granted";
    public const string RoleEnded = "role-ended";
    public const string TermStarted = "term-started";
    public const string TermMemberLeft = "term-member-left";

    /// <summary>A member left during an open ballot without having voted: out of its eligible count (decision 109).</summary>
    public const string BallotEligibilityReduced = "ballot-eligibility-reduced";
}
