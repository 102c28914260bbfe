namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// One choice on a secret ballot while it is open, sealed (<see cref="Sealing.BallotSeal"/>): it names no voter and
/// carries no time, and its id is random, so nothing in the row says whose it is or when it came. The ballot is
/// counted from these rows inside its closing step, which then deletes them (decision 91).
/// </summary>
public sealed class SealedChoice
{
    public required Guid Id { get; init; }

    public required Guid InstanceId { get; init; }

    public required string BookmarkId { get; init; }

    public required string CommunityId { get; init; }

    public required byte[] Sealed { get; init; }
}

/// <summary>
/// Names the sealing key a database was written with (<see cref="Sealing.StoreKeys.KeyCheck"/>): a host started with
/// another key refuses to run on it instead of reporting every journal broken and failing to count a ballot.
/// </summary>
public sealed class StoreKeyCheck
{
    public const string SealingKey = "sealing-key";

    public required string Name { get; init; }

    public required string Check { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}
