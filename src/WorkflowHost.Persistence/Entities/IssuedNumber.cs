namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// A number handed out by an <c>issueNumber</c> step (a reply 意见回执, minutes), with the instance it belongs to, so a
/// reply can be found by its number for public verification without reading every instance.
/// </summary>
public sealed class IssuedNumber
{
    public required string CommunityId { get; init; }

    public required string Series { get; init; }

    public required string Number { get; init; }

    public required int Year { get; init; }

    public required Guid InstanceId { get; init; }

    public required string ActivityId { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }
}
