namespace WorkflowHost.Engine.Runtime;

/// <summary>The answer to one stimulus: either a new state with its effects, or a refusal that changes nothing.</summary>
public sealed record RunResult
{
    private RunResult(InstanceState? state, IReadOnlyList<Effect> effects, Refusal? refusal)
    {
        State = state;
        Effects = effects;
        Refusal = refusal;
    }

    public InstanceState? State { get; }

    public IReadOnlyList<Effect> Effects { get; }

    public Refusal? Refusal { get; }

    public bool Accepted => Refusal is null;

    public static RunResult Accept(InstanceState state, IReadOnlyList<Effect> effects) => new(state, effects, null);

    public static RunResult Refuse(Refusal refusal) => new(null, [], refusal);
}

/// <summary>Why a stimulus was refused. <see cref="FieldErrors"/> names each invalid input field.</summary>
public sealed record Refusal(RefusalCode Code, string Message, IReadOnlyDictionary<string, string[]>? FieldErrors = null);

public enum RefusalCode
{
    /// <summary>The input does not satisfy the definition's fields.</summary>
    InvalidInput,

    /// <summary>The bookmark or timer never existed.</summary>
    NotFound,

    /// <summary>The step existed but is closed (decided, completed, withdrawn).</summary>
    Closed,

    /// <summary>The instance has ended.</summary>
    InstanceEnded,

    /// <summary>The actor may not do this (not the assignee, not eligible, not the initiator).</summary>
    NotAllowed,

    /// <summary>The voter already voted on this ballot.</summary>
    AlreadyVoted,

    /// <summary>The voter is recused from this ballot.</summary>
    Recused,

    /// <summary>An outcome or option the step does not declare.</summary>
    UnknownOption,

    /// <summary>The step is not overdue yet, so it cannot be closed as overdue.</summary>
    NotOverdue,

    /// <summary>The step was already urged this working day.</summary>
    AlreadyUrged,

    /// <summary>Someone already holds the task (claimed it, or was handed it); it is not on offer.</summary>
    AlreadyClaimed,

    /// <summary>The task is in someone else's hands (or nobody's yet): only its holder may do this now.</summary>
    NotHolder,

    /// <summary>The task is with a colleague who prepares it (委派); the holder waits for it to come back.</summary>
    Delegated,

    /// <summary>The task waits for opinions it asked for (加签).</summary>
    AwaitingOpinions,

    /// <summary>The voter already left a written opinion on this ballot.</summary>
    OpinionGiven,

    /// <summary>抄送: someone named is already copied on the case.</summary>
    AlreadyCopied,

    /// <summary>The read access named was already taken back (a copy withdrawn, a delegate's reading ended).</summary>
    AlreadyWithdrawn,
}
