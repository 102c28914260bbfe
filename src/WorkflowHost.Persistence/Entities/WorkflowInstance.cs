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

    /// <summary>
    /// What the instance is about, as the <c>prior-consultations</c> lookup last checked it (the nominee and the kind,
    /// trimmed, digested: <see cref="Records.ConsultationSubject"/>), so earlier consultations on the same subject are one
    /// indexed read instead of every state of the year (decision 145). Null for processes without that lookup.
    /// </summary>
    public string? SubjectKey { get; set; }
}

/// <summary>
/// <see cref="WorkflowInstance.Status"/>: the engine's <see cref="Engine.Runtime.InstanceStatus"/> as stored
/// (<see cref="StoredName"/>), for queries that filter on it.
/// </summary>
public static class InstanceRowStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Withdrawn = "withdrawn";
}

/// <summary>
/// The one mapping of the engine's enums to stored text: the name in lower case (<c>InstanceStatus.Running</c> →
/// <c>running</c>, <c>AssignmentKind.Unit</c> → <c>unit</c>, <c>TimerPurpose.Reminder</c> → <c>reminder</c>). Columns stay
/// plain text, so queries, tests and existing rows read the same words (decision 60).
/// </summary>
public static class StoredName
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
