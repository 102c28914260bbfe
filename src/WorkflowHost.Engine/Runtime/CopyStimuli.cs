namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// 抄送: the initiator's unit or the office copies people on a running case. They may read it and are told its outcome;
/// they get no task. Allowed only where the definition's <c>copy</c> names them.
/// </summary>
public sealed record CopyCase(string ActorId, IReadOnlyList<string> To, string? Note = null) : Stimulus
{
    public const int MaxPeople = 20;
    public const int MaxNoteLength = 500;

    public override string Kind => "copy-case";
}

/// <summary>Why a person was given read access to a case besides the usual rule (Api/Access.cs).</summary>
public enum CaseReaderReason
{
    /// <summary>抄送: copied on the case.</summary>
    Copied,

    /// <summary>委派: prepared one of its tasks for a colleague, and keeps reading the case they prepared.</summary>
    Prepared,
}

/// <summary>These people may read the case from now on, for <paramref name="Reason"/>; the store keeps one row per person and case.</summary>
public sealed record CaseReadersAdded(IReadOnlyList<string> PersonIds, CaseReaderReason Reason, string AddedBy) : Effect;
