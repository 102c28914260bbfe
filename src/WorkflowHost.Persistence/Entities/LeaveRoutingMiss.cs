namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// A case where the overdue sweep asked the engine to move a person's tasks for their leave and nothing could move (the
/// deputy is away too, or the tasks are opinions that stay). The sweep does not ask again while the situation is the
/// same: the community's directory stamp (any leave or role change), the case's version (a new task, any step) and, when
/// the deputy is away, until the day the deputy is back (docs/decisions/0136).
/// </summary>
public sealed class LeaveRoutingMiss
{
    public required string PersonId { get; init; }

    public Guid InstanceId { get; init; }

    public long DirectoryVersion { get; set; }

    public int InstanceVersion { get; set; }

    /// <summary>The first day a retry may move something with nothing else changed: the deputy's return; null when only a change will.</summary>
    public DateOnly? RetryOn { get; set; }

    public DateTimeOffset TriedAt { get; set; }
}
