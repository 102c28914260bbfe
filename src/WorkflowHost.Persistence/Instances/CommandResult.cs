using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The answer to a command, stored as-is under its idempotency key so a replay returns exactly this.
/// </summary>
public sealed record CommandResult
{
    public required Guid InstanceId { get; init; }

    public InstanceStatus? Status { get; init; }

    public string? Result { get; init; }

    public RefusalCode? Refusal { get; init; }

    public string? Message { get; init; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>True when this answer was returned from the idempotency store rather than computed now.</summary>
    public bool Replayed { get; init; }

    public bool Succeeded => Refusal is null;

    public static CommandResult Refused(Guid instanceId, Refusal refusal) => new()
    {
        InstanceId = instanceId,
        Refusal = refusal.Code,
        Message = refusal.Message,
        Errors = refusal.FieldErrors,
    };
}
