namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// Every revision of every definition ever loaded, keyed by content hash, so an instance can always be resumed on
/// the exact revision it started with even after the file changed or was deleted.
/// </summary>
public sealed class DefinitionRevision
{
    public required string ContentHash { get; init; }

    public required string DefinitionId { get; init; }

    public required int Version { get; init; }

    public required string SourceJson { get; init; }

    public required DateTimeOffset FirstLoadedAt { get; init; }
}
