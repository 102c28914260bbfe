namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// Read access taken back (docs/decisions/0139). Unlike other steps these are accepted after the case ended too: a
/// finished case is still read, and whoever may take a reader off should be able to do it then most of all.
/// </summary>
public interface IReaderWithdrawal
{
    string ActorId { get; }

    string PersonId { get; }

    string Reason { get; }
}

/// <summary>撤回抄送: whoever may copy on the case takes one person's copy back, with a reason.</summary>
public sealed record WithdrawCopy(string ActorId, string PersonId, string Reason) : Stimulus, IReaderWithdrawal
{
    public const int MaxReasonLength = 500;

    public override string Kind => "withdraw-copy";
}

/// <summary>
/// The person who delegated a task (委派), or the office, ends the read access the delegate kept after handing it back
/// (decision 130).
/// </summary>
public sealed record EndDelegateReading(string ActorId, string PersonId, string Reason) : Stimulus, IReaderWithdrawal
{
    public override string Kind => "end-delegate-reading";
}

/// <summary>
/// A reader granted for <paramref name="Reason"/> loses that ground. <paramref name="StillReadingAs"/>: another ground
/// they still have (copied and also a delegate), which their row keeps; null: the row goes and so does their access.
/// </summary>
public sealed record CaseReaderWithdrawn(string PersonId, CaseReaderReason Reason, CaseReaderReason? StillReadingAs) : Effect;

/// <summary>委派: a colleague who prepared a task, and the holder who delegated it to them (one entry per delegation).</summary>
public sealed record PreparedReader(string PersonId, string DelegatedBy);
