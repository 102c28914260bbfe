namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// One running or finished process. The engine's state is kept whole in <see cref="StateJson"/>; the other columns
/// are copies for querying. <see cref="Version"/> is the optimistic concurrency token, managed by the application
/// because SQLite has no store-generated row version.
/// </summary>
public sealed class WorkflowInstance
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required string DefinitionId { get; init; }

    public required string DefinitionHash { get; init; }

    public required string InitiatorId { get; init; }

    public string? UnitId { get; init; }

    public required string Status { get; set; }

    public string? Result { get; set; }

    public required string StateJson { get; set; }

    public int Version { get; set; }

    /// <summary>Sequence number and hash of the latest journal event, so appending needs no extra read.</summary>
    public long JournalSequence { get; set; }

    public string JournalHead { get; set; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
}
