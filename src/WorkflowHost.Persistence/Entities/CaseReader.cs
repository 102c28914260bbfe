namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// A person who may read a case besides the usual rule (Api/Access.cs): copied on it (抄送), or a colleague who prepared
/// one of its tasks (委派) and keeps reading what they prepared. One row per case and person; the first reason stays.
/// </summary>
public sealed class CaseReader
{
    public required Guid InstanceId { get; init; }

    public required string PersonId { get; init; }

    public required string CommunityId { get; init; }

    /// <summary><c>copied</c> or <c>prepared</c>.</summary>
    public required string Reason { get; init; }

    public required string AddedBy { get; init; }

    public DateTimeOffset AddedAt { get; init; }
}
