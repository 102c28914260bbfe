namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// An append-only record of one state change. <see cref="Hash"/> covers this event and <see cref="PreviousHash"/>,
/// chaining the events of an instance so that any edit, deletion or reordering is detectable.
/// </summary>
public sealed class JournalEvent
{
    public required Guid InstanceId { get; init; }

    public required long Sequence { get; init; }

    public required string CommunityId { get; init; }

    public required string Type { get; init; }

    public required string DataJson { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }
}
