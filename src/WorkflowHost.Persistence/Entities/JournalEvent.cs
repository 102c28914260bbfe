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

    /// <summary>
    /// How <see cref="Hash"/> was made: <see cref="Journal.JournalChain.KeyedScheme"/> (HMAC under the sealing key) for every
    /// event written since decision 90; <see cref="Journal.JournalChain.LegacyScheme"/> (plain SHA-256) only for events whose
    /// old chain failed to verify when the journal was re-keyed at start, kept as they were for the evidence.
    /// </summary>
    public int HashScheme { get; init; }
}
