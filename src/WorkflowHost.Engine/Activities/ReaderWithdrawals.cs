using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// Taking back read access that a case granted besides the usual rule (docs/decisions/0139): a copy (抄送, decision 131)
/// withdrawn by whoever may copy, and the reading a delegate kept (委派, decision 130) ended by whoever delegated to them or
/// by the office. Each is journaled with who, whom and why, running or ended; the second time is refused, not ignored.
/// </summary>
public static class ReaderWithdrawals
{
    public const string CopyWithdrawnTemplate = "case-copy-withdrawn";
    public const string ReadingEndedTemplate = "case-reading-ended";

    /// <summary>
    /// Runs outside the running-instance steps: nothing moves on, so there is nothing to drain. <paramref name="state"/> is
    /// the runner's working copy (or the state a caller handed over), changed in place.
    /// </summary>
    internal static RunResult Run(WorkflowDefinition definition, InstanceState state, Stimulus stimulus, RunContext context)
    {
        state.UpdatedAt = context.Now;
        var scope = new ExecutionScope(definition, state, context);
        var refusal = stimulus switch
        {
            WithdrawCopy withdraw => Withdraw(scope, withdraw),
            EndDelegateReading end => EndReading(scope, end),
            _ => throw new ArgumentException($"'{stimulus.Kind}' is not a reader withdrawal.", nameof(stimulus)),
        };
        return refusal is null ? RunResult.Accept(state, scope.Effects) : RunResult.Refuse(refusal);
    }

    /// <summary>The office, or a holder who delegated to <paramref name="personId"/>; public so the pages offer exactly what the engine accepts.</summary>
    public static bool MayEndReading(InstanceState state, DirectoryPerson? actor, string personId) => actor is not null
        && (actor.HasRole(RoleNames.Office) || state.PreparedBy.Exists(p => p.PersonId == personId && p.DelegatedBy == actor.Id));

    /// <summary>Delegates whose reading is still on, for the instance page.</summary>
    public static IEnumerable<string> ReadingDelegates(InstanceState state) =>
        state.PreparedBy.Select(p => p.PersonId).Distinct(StringComparer.Ordinal).Where(p => !state.PreparedReadingEnded.Contains(p));

    private static Refusal? Withdraw(ExecutionScope scope, WithdrawCopy withdraw)
    {
        if (!Copies.MayCopy(scope.State, scope.Context.Directory.Find(withdraw.ActorId)))
        {
            return new Refusal(RefusalCode.NotAllowed, "Only the submitting unit and the office withdraw a copy.");
        }

        if (ReasonRefusal(withdraw.Reason) is { } badReason)
        {
            return badReason;
        }

        if (scope.State.CopiesWithdrawn.Contains(withdraw.PersonId))
        {
            return new Refusal(RefusalCode.AlreadyWithdrawn, $"The copy to '{withdraw.PersonId}' was already withdrawn.");
        }

        if (!scope.State.CopiedTo.Remove(withdraw.PersonId))
        {
            return new Refusal(RefusalCode.NotFound, $"'{withdraw.PersonId}' is not copied on this case.");
        }

        scope.State.CopiesWithdrawn.Add(withdraw.PersonId);
        var stillPrepared = ReadingDelegates(scope.State).Contains(withdraw.PersonId);
        scope.Emit(new CaseReaderWithdrawn(withdraw.PersonId, CaseReaderReason.Copied, stillPrepared ? CaseReaderReason.Prepared : null));
        scope.Journal(JournalEventTypes.CaseCopyWithdrawn, Entry(withdraw));
        Notify(scope, CopyWithdrawnTemplate, withdraw, stillPrepared);
        return null;
    }

    private static Refusal? EndReading(ExecutionScope scope, EndDelegateReading end)
    {
        if (!MayEndReading(scope.State, scope.Context.Directory.Find(end.ActorId), end.PersonId))
        {
            return new Refusal(RefusalCode.NotAllowed, "Only the office and whoever delegated to this person end their reading.");
        }

        if (ReasonRefusal(end.Reason) is { } badReason)
        {
            return badReason;
        }

        if (!scope.State.PreparedBy.Exists(p => p.PersonId == end.PersonId))
        {
            return new Refusal(RefusalCode.NotFound, $"'{end.PersonId}' prepared no task of this case.");
        }

        if (scope.State.PreparedReadingEnded.Contains(end.PersonId))
        {
            return new Refusal(RefusalCode.AlreadyWithdrawn, $"The reading of '{end.PersonId}' was already ended.");
        }

        // Still preparing a task: their access is the task's, not this grant's; the holder waits for them first.
        if (scope.State.Bookmarks.Find(b => b.Task?.DelegatedTo == end.PersonId) is { } preparing)
        {
            return new Refusal(RefusalCode.Delegated, $"'{end.PersonId}' is still preparing '{preparing.Id}'; their reading ends once they hand it back.");
        }

        scope.State.PreparedReadingEnded.Add(end.PersonId);
        var stillCopied = scope.State.CopiedTo.Contains(end.PersonId);
        scope.Emit(new CaseReaderWithdrawn(end.PersonId, CaseReaderReason.Prepared, stillCopied ? CaseReaderReason.Copied : null));
        scope.Journal(JournalEventTypes.DelegateReadingEnded, Entry(end));
        Notify(scope, ReadingEndedTemplate, end, stillCopied);
        return null;
    }

    /// <summary>
    /// Tells the person their access was taken back, and why, in this step (so a refused or lost withdrawal tells nobody).
    /// Keyed by the journal position: a person copied again and withdrawn again is told again. <paramref name="stillReads"/>:
    /// they keep reading on another ground, so the notice may point to the case; otherwise it must not.
    /// </summary>
    private static void Notify(ExecutionScope scope, string template, IReaderWithdrawal withdrawal, bool stillReads)
    {
        var data = new JsonObject
        {
            ["kind"] = template,
            ["instance"] = scope.State.InstanceId.ToString(),
            ["process"] = scope.Definition.Id,
            ["processName.zh-CN"] = scope.Definition.Name.ZhCn,
            ["processName.en"] = scope.Definition.Name.En,
            ["reason"] = withdrawal.Reason,
            ["stillReads"] = stillReads,
        };
        var sequence = scope.State.NextSequence++.ToString(CultureInfo.InvariantCulture);
        scope.Emit(new NotificationRequested($"{scope.State.InstanceId}/{template}~{sequence}/{withdrawal.PersonId}", withdrawal.PersonId, template, data));
    }

    private static JsonObject Entry(IReaderWithdrawal withdrawal) =>
        new() { ["by"] = withdrawal.ActorId, ["person"] = withdrawal.PersonId, ["reason"] = withdrawal.Reason };

    private static Refusal? ReasonRefusal(string reason)
    {
        if (!string.IsNullOrWhiteSpace(reason) && reason.Length <= WithdrawCopy.MaxReasonLength)
        {
            return null;
        }

        var message = $"Give a reason of at most {WithdrawCopy.MaxReasonLength.ToString(CultureInfo.InvariantCulture)} characters.";
        return new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { ["reason"] = [message] });
    }
}
