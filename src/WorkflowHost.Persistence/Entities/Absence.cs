namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// 请假: a person is away from <see cref="FirstDay"/> to <see cref="LastDay"/> (both included, in the community's calendar),
/// with an optional deputy (代理人). One row per person: setting new dates replaces the old ones, clearing removes the row.
/// </summary>
public sealed class Absence
{
    public required string PersonId { get; init; }

    public required string CommunityId { get; init; }

    public DateOnly FirstDay { get; set; }

    public DateOnly LastDay { get; set; }

    public string? DeputyId { get; set; }

    public DateTimeOffset SetAt { get; set; }
}
