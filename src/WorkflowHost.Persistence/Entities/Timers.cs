namespace WorkflowHost.Persistence.Entities;

/// <summary>A due time an instance waits for. Written with the state that created it; fired at most once.</summary>
public sealed class WorkflowTimer
{
    public required Guid InstanceId { get; init; }

    public required string TimerId { get; init; }

    public required string CommunityId { get; init; }

    public required string BookmarkId { get; init; }

    public required string Purpose { get; init; }

    public required DateTimeOffset DueAt { get; set; }

    public required string Status { get; set; }

    /// <summary>The scheduler's job id, so cancelling needs no scan of the scheduler's storage.</summary>
    public string? JobId { get; set; }

    public DateTimeOffset? FiredAt { get; set; }
}

/// <summary>An outbox row: a message for one recipient, delivered after commit. The key makes it exactly once.</summary>
public sealed class Notification
{
    public required Guid Id { get; init; }

    public required string CommunityId { get; init; }

    public required string UniqueKey { get; init; }

    public required string RecipientId { get; init; }

    public Guid? InstanceId { get; init; }

    public required string Template { get; init; }

    public required string DataJson { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>The last number handed out per community, series and year; numbers are gapless because they are taken in the stimulus's transaction.</summary>
public sealed class NumberSeries
{
    public required string CommunityId { get; init; }

    public required string Series { get; init; }

    public required int Year { get; init; }

    public long LastValue { get; set; }
}

/// <summary>The first answer to a command sent with an idempotency key; a replay gets this answer back.</summary>
public sealed class IdempotentCommand
{
    public required string Key { get; init; }

    public required string CommunityId { get; init; }

    public required string ResultJson { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The stored states of a <see cref="WorkflowTimer"/>.</summary>
public static class TimerStatus
{
    public const string Pending = "pending";
    public const string Fired = "fired";
    public const string Cancelled = "cancelled";

    /// <summary>Fell due after its step had closed; nothing to do.</summary>
    public const string Void = "void";
}
